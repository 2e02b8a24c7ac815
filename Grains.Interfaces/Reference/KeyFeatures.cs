using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;

namespace Gnlc.Reference;

/// <summary>An area of focus of the Key Features of Learning Cities (code 1.1–3.3).</summary>
[GenerateSerializer, Immutable, Alias("gnlc.KeyFeatureArea")]
public sealed record KeyFeatureArea(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] ImmutableArray<string> Features);

/// <summary>A dimension of the Key Features (1–3) and its areas of focus.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.KeyFeatureDimension")]
public sealed record KeyFeatureDimension(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string LogoPart,
    [property: Id(3)] ImmutableArray<KeyFeatureArea> Areas);

/// <summary>
/// The Key Features of Learning Cities as served by <c>GET /key-features</c>: the framework's structure
/// and its source. <see cref="TotalKeyFeatures"/> is the framework's count (42); the features' own
/// wording is not in the data (<see cref="KeyFeatureArea.Features"/> stay empty until a source gives it).
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.KeyFeaturesFramework")]
public sealed record KeyFeaturesFramework(
    [property: Id(0)] string Source,
    [property: Id(1)] string Note,
    [property: Id(2)] int TotalKeyFeatures,
    [property: Id(3)] ImmutableArray<KeyFeatureDimension> Dimensions);

/// <summary>Reference data: the Key Features of Learning Cities (shared/data/key_features_structure.json, embedded).</summary>
public static class KeyFeatures
{
    private static readonly Lazy<KeyFeaturesFramework> Loaded = new(Load);
    private static readonly Lazy<FrozenSet<string>> Codes = new(() =>
        Loaded.Value.Dimensions.SelectMany(d => d.Areas).Select(a => a.Code).ToFrozenSet(StringComparer.Ordinal));

    public static KeyFeaturesFramework Framework => Loaded.Value;

    /// <summary>The codes of the twelve areas of focus, in framework order.</summary>
    public static IReadOnlyList<string> AreaCodes => [.. Loaded.Value.Dimensions.SelectMany(d => d.Areas).Select(a => a.Code)];

    /// <summary>Whether <paramref name="code"/> is an area of focus (exact code such as <c>2.4</c>).</summary>
    public static bool IsArea(string? code) => code is not null && Codes.Value.Contains(code);

    private static KeyFeaturesFramework Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Gnlc.Reference.key_features_structure.json")
            ?? throw new InvalidOperationException("The key features resource is missing.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var dimensions = root.GetProperty("dimensions").EnumerateArray().Select(d => new KeyFeatureDimension(
            d.GetProperty("code").GetString()!,
            d.GetProperty("name").GetString()!,
            d.GetProperty("logo_part").GetString()!,
            [.. d.GetProperty("areas").EnumerateArray().Select(a => new KeyFeatureArea(
                a.GetProperty("code").GetString()!, a.GetProperty("name").GetString()!, ImmutableArray<string>.Empty))]));
        return new KeyFeaturesFramework(
            root.GetProperty("source").GetString()!,
            root.GetProperty("note").GetString()!,
            root.GetProperty("total_key_features").GetInt32(),
            [.. dimensions]);
    }
}
