using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gnlc.Cities;
using Gnlc.Events;
using Gnlc.Network;
using Gnlc.State;

namespace Gnlc.Benchmarks;

/// <summary>
/// Realistic values of the hot types. Built from JSON so that they keep compiling while the collection types
/// of the state and contracts evolve (System.Text.Json fills lists, arrays and immutable collections alike).
/// </summary>
public static class Samples
{
    /// <summary>The API's JSON settings (Api/Program.cs): web defaults, enums as strings.</summary>
    public static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private const string Text =
        "The city's strategy builds on its lifelong learning plan adopted by the council: community learning centres in every district.";

    /// <summary>A city just registered: what most city grains of a growing network hold.</summary>
    public static CityState CandidateState() => From<CityState>("""
        { "schemaVersion": 1, "version": 1, "registered": true, "id": "ie-cork", "name": "Cork", "country": "ie",
          "population": 224004, "mayor": "Dan Boyle", "status": "Candidate" }
        """);

    /// <summary>A member for six years: representatives, two progress reports, an award, an admission.</summary>
    public static CityState MemberState() => From<CityState>($$"""
        { "schemaVersion": 1, "version": 27, "registered": true, "id": "ie-cork", "name": "Cork", "country": "ie",
          "population": 224004, "mayor": "Dan Boyle", "status": "Member", "memberSince": "2019-09-30T00:00:00+00:00",
          "representatives": ["Denis Barrett", "Siobhan O'Dwyer"], "nextReportDue": "2025-09-30T00:00:00+00:00",
          "reports": [
            { "dueAt": "2021-09-30T00:00:00+00:00", "filedAt": "2021-09-12T10:00:00+00:00", "summary": "{{Text}}",
              "keyFeatures": { "1.1": "{{Text}}", "2.3": "{{Text}}", "3.2": "{{Text}}" } },
            { "dueAt": "2023-09-30T00:00:00+00:00", "filedAt": "2023-09-20T10:00:00+00:00", "summary": "{{Text}}",
              "keyFeatures": { "1.1": "{{Text}}", "2.1": "{{Text}}" } } ],
          "awards": [ { "year": 2015, "citation": "For its Learning Festival and community learning.", "grantedAt": "2015-09-28T00:00:00+00:00" } ],
          "admissions": ["2019"] }
        """);

    public static CityView View() => From<CityView>($$"""
        { "id": "ie-cork", "name": "Cork", "country": "ie", "population": 224004, "mayor": "Dan Boyle", "status": "Member",
          "memberSince": "2019-09-30T00:00:00+00:00", "representatives": ["Denis Barrett", "Siobhan O'Dwyer"],
          "nextReportDue": "2025-09-30T00:00:00+00:00", "progressReports": [], "statusReason": null, "version": 27,
          "awards": [ { "year": 2015, "citation": "For its Learning Festival and community learning.", "grantedAt": "2015-09-28T00:00:00+00:00" } ] }
        """);

    public static DomainEvent Event() => new(
        DomainEventType.ApplicationSubmitted, EntityKind.Application, "app:2025:ie-cork", "ie", "ie-cork", "2025",
        "Submitted", new DateTimeOffset(2025, 4, 2, 9, 30, 0, TimeSpan.Zero), 4);

    public static NetworkStats Stats() => new(425, 91, 498_000_000, 96);

    /// <summary><paramref name="count"/> directory lines over <paramref name="countries"/> countries (round robin, like the load generator).</summary>
    public static CitySummary[] Summaries(int count, int countries)
    {
        var codes = Enumerable.Range(0, countries).Select(i => string.Create(CultureInfo.InvariantCulture, $"{(char)('a' + (i / 26 % 26))}{(char)('a' + (i % 26))}")).ToArray();
        var template = From<CitySummary>("""
            { "id": "x", "name": "x", "country": "x", "status": "Candidate", "population": 1, "memberSince": null, "awards": [], "version": 1 }
            """);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var country = codes[i % codes.Length];
            var name = string.Create(CultureInfo.InvariantCulture, $"Bench {i}");
            return template with
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{country}-bench-{i}"),
                Name = name,
                Country = country,
                Status = i % 5 == 0 ? CityStatus.Member : CityStatus.Candidate,
                Population = 20_000 + (i * 7919L % 5_000_000),
                Version = 1,
            };
        })];
    }

    /// <summary>The application form a city PUTs (API.md "Bodies").</summary>
    public static string ApplicationFormJson() => $$"""
        { "population": 500000, "focalPoint": { "name": "Aoife Murphy", "email": "learning@corkcity.ie" },
          "motivation": "{{Text}}",
          "buildingBlocks": { "inclusiveLearningInEducation": "{{Text}}", "learningInFamiliesAndCommunities": "{{Text}}",
            "learningForAndInTheWorkplace": "{{Text}}", "modernLearningTechnologies": "{{Text}}", "qualityInLearning": "{{Text}}",
            "cultureOfLearningThroughoutLife": "{{Text}}" },
          "fundamentalConditions": { "politicalWillAndCommitment": "{{Text}}", "governanceAndParticipation": "{{Text}}",
            "mobilizationOfResources": "{{Text}}" } }
        """;

    private static T From<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, ApiJson) ?? throw new InvalidOperationException("sample of " + typeof(T).Name + " is null");
}
