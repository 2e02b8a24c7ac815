using System.Collections.Frozen;
using System.Reflection;

namespace Gnlc.Reference;

/// <summary>A UNESCO Member State or Associate Member (shared/data/member_states.csv).</summary>
[GenerateSerializer, Immutable, Alias("gnlc.MemberState")]
public sealed record MemberState(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string Status,
    [property: Id(3)] string Region);

/// <summary>Reference data: a city must lie in one of these (DOMAIN.md "Entities").</summary>
public static class MemberStates
{
    private static readonly Lazy<FrozenDictionary<string, MemberState>> ByCode = new(Load);

    /// <summary>Every Member State and Associate Member, by name.</summary>
    public static IReadOnlyList<MemberState> All => [.. ByCode.Value.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>Looks a code up case-insensitively.</summary>
    public static bool TryGet(string? code, out MemberState state)
    {
        state = null!;
        return code is not null && ByCode.Value.TryGetValue(code.Trim().ToUpperInvariant(), out state!);
    }

    private static FrozenDictionary<string, MemberState> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Gnlc.Reference.member_states.csv")
            ?? throw new InvalidOperationException("The member states resource is missing.");
        using var reader = new StreamReader(stream);
        var header = SplitCsv(reader.ReadLine() ?? string.Empty);
        int code = header.IndexOf("iso_alpha2"), name = header.IndexOf("name"), status = header.IndexOf("status"), region = header.IndexOf("unesco_region_derived");
        var states = new Dictionary<string, MemberState>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = SplitCsv(line);
            var iso = fields[code].Trim().ToUpperInvariant();
            states[iso] = new MemberState(iso, fields[name], fields[status], fields[region]);
        }

        return states.ToFrozenDictionary(StringComparer.Ordinal);
    }

    // RFC 4180 fields: quotes may wrap commas and escape quotes by doubling.
    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
