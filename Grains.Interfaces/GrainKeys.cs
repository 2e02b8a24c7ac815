using System.Buffers;
using System.Globalization;
using System.Text;
using Gnlc.Errors;

namespace Gnlc;

/// <summary>
/// The one place that builds grain keys. Every key is lower case and carries a character that is
/// not a hexadecimal digit, because ADO.NET storage stores hex-parsable string keys as integers and
/// lets look-alikes share a row (ORLEANS-FACTS, dotnet/orleans#9706): <c>DE</c> and <c>de</c> are
/// normalized to one commission on purpose, and <c>2025</c> and <c>02025</c> stay two periods.
/// </summary>
public static class GrainKeys
{
    public const string PeriodRegistry = "period-registry";
    public const string Network = "network";
    public const string Directory = "directory";
    public const string Clock = "clock";

    /// <summary>Number of deadline index shards (the test clock reads them all).</summary>
    public const int DeadlineShardCount = 8;

    private const int MaxCityIdLength = 64;
    private static readonly SearchValues<char> SlugChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789abcdefABCDEF");
    private const int MaxPeriodIdLength = 32;

    /// <summary>ISO 3166-1 alpha-2 code normalized to lower case; refuses anything but two ASCII letters.</summary>
    public static string NormalizeCountry(string? country)
    {
        var code = country?.Trim();
        if (code is not { Length: 2 } || !char.IsAsciiLetter(code[0]) || !char.IsAsciiLetter(code[1]))
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidCountry, $"'{country}' is not an ISO 3166-1 alpha-2 country code.");
        }

        return code.ToLowerInvariant();
    }

    /// <summary>A new city's id, <c>{iso2}-{slug}</c>, e.g. <c>ie-dublin</c> for ("IE", "Dublin").</summary>
    public static string NewCityId(string countryCode, string name)
    {
        var country = NormalizeCountry(countryCode);
        var slug = Slug(name);
        if (slug.Length == 0)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidCityName, "A city name needs Latin letters or digits to form its id.");
        }

        var id = $"{country}-{slug}";
        return id.Length <= MaxCityIdLength ? id : id[..MaxCityIdLength].TrimEnd('-');
    }

    /// <summary>The city grain key: the city id itself, validated.</summary>
    public static string City(string cityId)
    {
        if (!IsCityId(cityId))
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidCityId, $"'{cityId}' is not a city id of the form 'ie-dublin'.");
        }

        return Checked(cityId);
    }

    /// <summary>The two-letter country of a city id (its prefix).</summary>
    public static string CountryOfCity(string cityId) => City(cityId)[..2];

    public static bool IsCityId(string? cityId)
    {
        if (string.IsNullOrEmpty(cityId) || cityId.Length < 4 || cityId.Length > MaxCityIdLength || cityId[2] != '-')
        {
            return false;
        }

        if (!IsLowerAscii(cityId[0]) || !IsLowerAscii(cityId[1]) || cityId.EndsWith('-') || cityId.Contains("--", StringComparison.Ordinal))
        {
            return false;
        }

        return cityId.AsSpan(3).IndexOfAnyExcept(SlugChars) < 0;
    }

    public static string Commission(string country) => Checked($"nc-{NormalizeCountry(country)}");

    public static string DirectoryShard(string country) => Checked($"directory-{NormalizeCountry(country)}");

    /// <summary>Validates a period id: 1–32 lowercase letters, digits and hyphens (API.md).</summary>
    public static string PeriodId(string? periodId)
    {
        if (string.IsNullOrEmpty(periodId) || periodId.Length > MaxPeriodIdLength
            || periodId.AsSpan().IndexOfAnyExcept(SlugChars) >= 0)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidPeriodId, $"'{periodId}' is not a period id (1–32 lowercase letters, digits, hyphens).");
        }

        return periodId;
    }

    public static string Period(string periodId) => Checked($"period-{PeriodId(periodId)}");

    public static string Application(string periodId, string cityId) => Checked($"app:{PeriodId(periodId)}:{City(cityId)}");

    /// <summary>Splits an application key back into its period and city.</summary>
    public static (string PeriodId, string CityId) ParseApplication(string key)
    {
        var parts = key?.Split(':') ?? [];
        if (parts.Length != 3 || parts[0] != "app")
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidCityId, $"'{key}' is not an application key.");
        }

        return (PeriodId(parts[1]), City(parts[2]));
    }

    /// <summary>Period id of a period grain key (<c>period-2025</c> → <c>2025</c>).</summary>
    public static string ParsePeriod(string key) =>
        key.StartsWith("period-", StringComparison.Ordinal) ? PeriodId(key["period-".Length..]) : throw DomainErrors.Validation(ErrorCodes.InvalidPeriodId, $"'{key}' is not a period key.");

    /// <summary>Country of a commission or directory shard key.</summary>
    public static string ParseCountrySuffix(string key) => NormalizeCountry(key[(key.LastIndexOf('-') + 1)..]);

    public static string DeadlineShard(int shard) => Checked($"deadlines-{shard.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Stable shard of a grain id string (FNV-1a), so a grain always registers in the same shard.</summary>
    public static int DeadlineShardOf(string grainId)
    {
        uint hash = 2166136261;
        foreach (var c in grainId)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % DeadlineShardCount);
    }

    /// <summary>True when a key would be stored as an integer by ADO.NET storage (hex-parsable).</summary>
    public static bool IsHexParsable(string key) =>
        key.Length > 0 && key.AsSpan().IndexOfAnyExcept(HexChars) < 0;

    /// <summary>Lower-case slug of a name: Latin letters and digits, diacritics folded, words joined by hyphens.</summary>
    public static string Slug(string? name)
    {
        var builder = new StringBuilder();
        var pendingHyphen = false;
        foreach (var c in name ?? string.Empty)
        {
            var folded = Fold(char.ToLowerInvariant(c));
            if (folded.Length == 0)
            {
                pendingHyphen = builder.Length > 0;
                continue;
            }

            if (pendingHyphen)
            {
                builder.Append('-');
                pendingHyphen = false;
            }

            builder.Append(folded);
        }

        return builder.ToString();
    }

    private static string Checked(string key)
    {
        // Every key built here has a prefix or a hyphen; this guards future keys against #9706.
        return IsHexParsable(key)
            ? throw new InvalidOperationException($"Grain key '{key}' would collide in ADO.NET storage (hex-parsable).")
            : key;
    }

    private static bool IsLowerAscii(char c) => c is >= 'a' and <= 'z';

    // InvariantGlobalization leaves Unicode decomposition out, so fold the common Latin letters by hand.
    private static string Fold(char c)
    {
        if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
        {
            return c.ToString();
        }

        return c switch
        {
            'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' or 'ā' or 'ă' or 'ą' => "a",
            'æ' => "ae",
            'ç' or 'ć' or 'ĉ' or 'ċ' or 'č' => "c",
            'ď' or 'đ' or 'ð' => "d",
            'è' or 'é' or 'ê' or 'ë' or 'ē' or 'ĕ' or 'ė' or 'ę' or 'ě' => "e",
            'ĝ' or 'ğ' or 'ġ' or 'ģ' => "g",
            'ĥ' or 'ħ' => "h",
            'ì' or 'í' or 'î' or 'ï' or 'ĩ' or 'ī' or 'ĭ' or 'į' or 'ı' => "i",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' or 'ļ' or 'ľ' or 'ŀ' or 'ł' => "l",
            'ñ' or 'ń' or 'ņ' or 'ň' => "n",
            'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' or 'ō' or 'ŏ' or 'ő' => "o",
            'œ' => "oe",
            'ŕ' or 'ŗ' or 'ř' => "r",
            'ś' or 'ŝ' or 'ş' or 'š' or 'ș' => "s",
            'ß' => "ss",
            'ţ' or 'ť' or 'ŧ' or 'ț' => "t",
            'ù' or 'ú' or 'û' or 'ü' or 'ũ' or 'ū' or 'ŭ' or 'ů' or 'ű' or 'ų' => "u",
            'ŵ' => "w",
            'ý' or 'ÿ' or 'ŷ' => "y",
            'ź' or 'ż' or 'ž' => "z",
            'þ' => "th",
            _ => string.Empty,
        };
    }
}
