using System.Collections.Frozen;
using System.Reflection;

namespace Gnlc.Reference;

/// <summary>
/// Maps a country as the data names it (an ISO alpha-2 code, the UNESCO name, the ISO short name, or one of
/// the common English short names in <see cref="Aliases"/>) to a Member State's ISO alpha-2 code.
/// Matching ignores case and surrounding blanks (and reads ’ as '); nothing is guessed beyond that.
/// </summary>
public static class CountryNames
{
    /// <summary>
    /// Common English short names that are neither the UNESCO name nor the ISO name (member_states.csv).
    /// members.csv and awards.csv need none of them (their names are UNESCO's); they serve other files.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["United States"] = "US",
        ["USA"] = "US",
        ["UK"] = "GB",
        ["Great Britain"] = "GB",
        ["South Korea"] = "KR",
        ["Korea"] = "KR",
        ["North Korea"] = "KP",
        ["Iran"] = "IR",
        ["Turkey"] = "TR",
        ["Vietnam"] = "VN",
        ["Russia"] = "RU",
        ["Tanzania"] = "TZ",
        ["Bolivia"] = "BO",
        ["Venezuela"] = "VE",
        ["Moldova"] = "MD",
        ["Czech Republic"] = "CZ",
        ["Ivory Coast"] = "CI",
        ["Cape Verde"] = "CV",
        ["Swaziland"] = "SZ",
        ["Laos"] = "LA",
        ["Syria"] = "SY",
        ["DR Congo"] = "CD",
        ["Democratic Republic of Congo"] = "CD",
        ["Republic of the Congo"] = "CG",
        ["Micronesia"] = "FM",
        ["The Netherlands"] = "NL",
        ["Macedonia"] = "MK",
        ["State of Palestine"] = "PS",
        ["Turkiye"] = "TR",
        ["Cote d'Ivoire"] = "CI",
    };

    private static readonly Lazy<FrozenDictionary<string, string>> ByName = new(Load);

    /// <summary>Resolves a code or name to a Member State or Associate Member.</summary>
    public static bool TryResolve(string? nameOrCode, out MemberState state)
    {
        state = null!;
        if (string.IsNullOrWhiteSpace(nameOrCode))
        {
            return false;
        }

        var text = nameOrCode.Trim();
        if (text.Length == 2 && MemberStates.TryGet(text, out state))
        {
            return true;
        }

        return ByName.Value.TryGetValue(Key(text), out var code) && MemberStates.TryGet(code, out state);
    }

    private static FrozenDictionary<string, string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Gnlc.Reference.member_states.csv")
            ?? throw new InvalidOperationException("The member states resource is missing.");
        using var reader = new StreamReader(stream);
        var header = MemberStates.SplitCsv(reader.ReadLine() ?? string.Empty);
        int code = header.IndexOf("iso_alpha2"), name = header.IndexOf("name"), isoName = header.IndexOf("iso_name");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, iso) in Aliases)
        {
            names[Key(alias)] = iso;
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = MemberStates.SplitCsv(line);
            var iso = fields[code].Trim().ToUpperInvariant();
            names[Key(fields[name])] = iso;
            names[Key(fields[isoName])] = iso;
        }

        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string Key(string name) => name.Trim().Replace('’', '\'').ToLowerInvariant();
}
