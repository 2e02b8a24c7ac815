using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>The OpenAPI document describes every route implemented, with its bodies and problem responses.</summary>
[Collection(SharedWorldDefinition.Name)]
public sealed class OpenApiTests(SharedWorld api)
{
    /// <summary>The routes of API.md implemented here (Development adds the dev routes), and who may call them.</summary>
    private static readonly Dictionary<string, (bool Protected, bool Body)> Routes = new()
    {
        ["GET /api/v1/member-states"] = (false, false),
        ["GET /api/v1/key-features"] = (false, false),
        ["GET /api/v1/network/stats"] = (false, false),
        ["GET /api/v1/cities"] = (false, false),
        ["POST /api/v1/cities"] = (true, true),
        // The imports take text/csv or a JSON array (no named schema), so their body is not checked as a JSON object.
        ["POST /api/v1/cities/import"] = (true, false),
        ["POST /api/v1/awards/import"] = (true, false),
        ["GET /api/v1/cities/{cityId}"] = (false, false),
        ["PATCH /api/v1/cities/{cityId}"] = (true, true),
        ["PUT /api/v1/cities/{cityId}/representatives/{name}"] = (true, false),
        ["PUT /api/v1/cities/{cityId}/applications/{periodId}"] = (true, true),
        ["GET /api/v1/cities/{cityId}/applications/{periodId}"] = (true, false),
        ["POST /api/v1/cities/{cityId}/applications/{periodId}/mayor-endorsement"] = (true, true),
        ["POST /api/v1/cities/{cityId}/applications/{periodId}/submit"] = (true, false),
        ["POST /api/v1/cities/{cityId}/progress-reports"] = (true, true),
        ["GET /api/v1/periods"] = (false, false),
        ["GET /api/v1/periods/{periodId}"] = (false, false),
        ["POST /api/v1/periods"] = (true, true),
        ["GET /api/v1/commissions/{country}/periods/{periodId}/applications"] = (true, false),
        ["POST /api/v1/commissions/{country}/periods/{periodId}/endorsements"] = (true, true),
        ["DELETE /api/v1/commissions/{country}/periods/{periodId}/endorsements/{cityId}"] = (true, false),
        ["POST /api/v1/commissions/{country}/periods/{periodId}/forward"] = (true, false),
        ["POST /api/v1/periods/{periodId}/applications/{cityId}/decision"] = (true, true),
        ["POST /api/v1/periods/{periodId}/close"] = (true, false),
        ["POST /api/v1/cities/{cityId}/membership/suspend"] = (true, true),
        ["POST /api/v1/cities/{cityId}/membership/end"] = (true, true),
        ["POST /api/v1/awards"] = (true, true),
        ["GET /api/v1/awards"] = (false, false),
        ["POST /api/v1/dev/tokens"] = (false, true),
        ["GET /api/v1/dev/clock"] = (false, false),
        ["POST /api/v1/dev/clock"] = (false, true),
    };

    /// <summary>Routes of API.md that other work maps (the event feed); the document may list them.</summary>
    private static readonly HashSet<string> MappedElsewhere = ["GET /api/v1/events"];

    [Fact]
    public async Task The_document_lists_exactly_the_implemented_routes()
    {
        var documented = Operations(await DocumentAsync()).Keys.Where(k => k.Contains(" /api/v1/", StringComparison.Ordinal)).ToHashSet();
        var missing = Routes.Keys.Where(route => !documented.Contains(route)).ToList();
        var unexpected = documented.Where(route => !Routes.ContainsKey(route) && !MappedElsewhere.Contains(route)).ToList();
        Assert.True(missing.Count == 0, "Missing from /openapi/v1.json: " + string.Join(", ", missing));
        Assert.True(unexpected.Count == 0, "Not expected in /openapi/v1.json: " + string.Join(", ", unexpected));
    }

    [Fact]
    public async Task Each_route_documents_its_body_and_problem_responses()
    {
        var operations = Operations(await DocumentAsync());
        foreach (var (route, (isProtected, hasBody)) in Routes)
        {
            var operation = operations[route];
            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            Assert.True(responses.Any(s => s.StartsWith('2')), $"{route}: no success response");
            Assert.True(responses.Contains("429"), $"{route}: no 429");
            Assert.True(operation.TryGetProperty("operationId", out _), $"{route}: no name");
            Assert.True(operation.TryGetProperty("summary", out _), $"{route}: no summary");
            if (isProtected)
            {
                Assert.True(responses.IsSupersetOf(["400", "401", "403"]), $"{route}: {string.Join(",", responses)}");
            }

            if (hasBody)
            {
                Assert.True(responses.IsSupersetOf(["400", "413", "415"]), $"{route}: {string.Join(",", responses)}");
                var content = operation.GetProperty("requestBody").GetProperty("content");
                Assert.True(content.TryGetProperty("application/json", out var json), $"{route}: no JSON body");
                Assert.True(json.GetProperty("schema").TryGetProperty("$ref", out _), $"{route}: body without a schema");
            }

            foreach (var problem in responses.Where(s => s[0] is '4' or '5'))
            {
                var problemContent = operation.GetProperty("responses").GetProperty(problem).GetProperty("content");
                Assert.True(problemContent.TryGetProperty("application/problem+json", out _), $"{route} {problem}: not a problem");
            }
        }
    }

    [Fact]
    public async Task Bodies_mark_their_required_fields()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        Assert.Equal(["countryCode", "mayor", "name", "population"], Required(schemas, "RegisterCityRequest"));
        Assert.Equal(["id", "opensAt"], Required(schemas, "SchedulePeriodRequest"));
        Assert.Equal(["decision", "reason"], Required(schemas, "DecisionRequest"));
    }

    private static string[] Required(JsonElement schemas, string name) =>
        [.. schemas.GetProperty(name).GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];

    private async Task<JsonElement> DocumentAsync() => await api.GetAsync("/openapi/v1.json");

    private static Dictionary<string, JsonElement> Operations(JsonElement document)
    {
        var operations = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = operation.Value;
            }
        }

        return operations;
    }
}
