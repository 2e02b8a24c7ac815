using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gnlc.Api.Tests.Support;
using Gnlc.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests;

/// <summary>
/// Malformed bodies and paths, generated from a seed so that a failure reproduces: every one is answered
/// with a 4xx (never a success, never a 500), and nothing changes. Each body mutation is invalid by
/// construction (a truncation, a wrong type, an unknown or duplicate field, a raw control character,
/// invalid UTF-8, deep nesting, a huge body, a non-object, random bytes, a wrong media type, ...).
/// </summary>
[Collection(SharedWorldDefinition.Name)]
public sealed class FuzzTests(SharedWorld api)
{
    private const string Country = "NO";
    private const string Marker = "QQMARKERQQ";

    private enum Mutation
    {
        Truncate,
        WrongType,
        UnknownField,
        DuplicateField,
        ControlCharacter,
        InvalidUtf8,
        DeepNesting,
        Huge,
        NotAnObject,
        RandomBytes,
        WrongMediaType,
        Empty,
        TrailingGarbage,
        Comment,
        TrailingComma,
        SingleQuotes,
        NumberOutOfRange,
        EscapedControlCharacter,
        LoneSurrogate,
    }

    private sealed record Target(string Name, HttpMethod Method, string Path, Caller Caller, Func<JsonObject> Template);

    private sealed record Sent(string Description, byte[] Body, string? ContentType, HttpStatusCode Expected);

    [Theory]
    [InlineData(20261)]
    [InlineData(20262)]
    [InlineData(20263)]
    public async Task Malformed_bodies_are_refused_with_4xx_and_change_nothing(int seed)
    {
        var city = await api.CityWithDraftAsync(Country);
        var targets = Targets(city);
        var before = await SnapshotAsync(city);
        var random = new Random(seed);

        for (var i = 0; i < 150; i++)
        {
            var target = targets[random.Next(targets.Count)];
            var mutation = (Mutation)random.Next(Enum.GetValues<Mutation>().Length);
            var sent = Mutate(target.Template(), mutation, random);
            using var response = await api.SendRawAsync(target.Method, target.Path, target.Caller, sent.Body, sent.ContentType, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var context = $"seed {seed}, #{i}: {target.Name} with {mutation} ({sent.Description}) → {(int)response.StatusCode} {text}";
            Assert.True(sent.Expected == response.StatusCode, context);
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", context);
            Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("code").GetString()), context);
        }

        Assert.Equal(before, await SnapshotAsync(city));
    }

    [Fact]
    public async Task Malformed_and_hostile_paths_are_refused_with_4xx_and_change_nothing()
    {
        var city = await api.CityWithDraftAsync(Country);
        var before = await SnapshotAsync(city);
        string[] segments =
        [
            new string('a', 5000),
            "no-" + new string('x', 70),
            "..%2F..%2Fetc%2Fpasswd",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "..%5C..%5Cwindows%5Cwin.ini",
            "%252e%252e%252f",
            "%C0%AE%C0%AE%C0%AF",
            "NO-UPPER",
            "no--double",
            "no-trailing-",
            "-no-leading",
            "no-" + Uri.EscapeDataString("bergen\u202Edlrow"),
            "no-%00nul",
            "no-%0D%0Aheader",
            "no-" + Uri.EscapeDataString("tromsø"),
            "%FF%FE",
            "%",
            "no-a%20b",
            "a",
            "ab-",
            "12-34",
        ];
        var valid = $"/api/v1/cities/{city}";
        var requests = new List<(HttpMethod Method, string Path, Caller Caller, object? Body)>();
        foreach (var segment in segments)
        {
            requests.Add((HttpMethod.Patch, $"/api/v1/cities/{segment}", Caller.Mayor(city), new { population = 1 }));
            requests.Add((HttpMethod.Put, $"{valid}/applications/{segment}", Caller.Mayor(city), ApiFixture.CompleteForm()));
            requests.Add((HttpMethod.Post, $"{valid}/applications/{segment}/mayor-endorsement", Caller.Mayor(city), new { statement = "S." }));
            requests.Add((HttpMethod.Post, $"/api/v1/commissions/{segment}/periods/{SharedWorld.Period}/endorsements", Caller.Commission(Country), new { cityId = city }));
            requests.Add((HttpMethod.Post, $"/api/v1/periods/{segment}/applications/{city}/decision", Caller.Coordinator, new { decision = "admit", reason = "R." }));
            requests.Add((HttpMethod.Post, $"/api/v1/periods/{segment}/close", Caller.Coordinator, null));
        }

        // Representative names are free text: only an over-long (or blank) one is malformed.
        requests.Add((HttpMethod.Put, $"{valid}/representatives/{new string('r', 300)}", Caller.Mayor(city), null));
        requests.Add((HttpMethod.Put, $"{valid}/representatives/%20%20", Caller.Mayor(city), null));
        requests.Add((HttpMethod.Patch, $"/api/v1/cities/{new string('b', 20_000)}", Caller.Mayor(city), new { population = 1 }));
        requests.Add((HttpMethod.Get, "/api/v1/cities?page=0&pageSize=0", Caller.Anonymous, null));
        requests.Add((HttpMethod.Get, "/api/v1/cities?page=99999999999", Caller.Anonymous, null));
        requests.Add((HttpMethod.Get, "/api/v1/cities?status=1", Caller.Anonymous, null));
        requests.Add((HttpMethod.Get, "/api/v1/cities?country=NOR", Caller.Anonymous, null));
        requests.Add((HttpMethod.Get, "/api/v1/awards?year=twenty", Caller.Anonymous, null));

        foreach (var (method, path, caller, body) in requests)
        {
            using var response = await api.SendAsync(method, path, caller, body, cancellationToken: TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var context = $"{method} {path[..Math.Min(path.Length, 200)]} → {status} {text}";
            Assert.True(status is >= 400 and < 500, context);
            if (text.Length > 0)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", context);
            }
        }

        Assert.Equal(before, await SnapshotAsync(city));
    }

    private static List<Target> Targets(string city)
    {
        var application = $"/api/v1/cities/{city}/applications/{SharedWorld.Period}";
        return
        [
            new("register city", HttpMethod.Post, "/api/v1/cities", Caller.Coordinator,
                () => new JsonObject { ["name"] = "Fuzzholm", ["countryCode"] = Country, ["population"] = 5000, ["mayor"] = "M" }),
            new("update city", HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city),
                () => new JsonObject { ["name"] = "Renamed", ["population"] = 7, ["mayor"] = "Other" }),
            new("save draft", HttpMethod.Put, application, Caller.Mayor(city), () => ApiFixture.CompleteForm(12_345)),
            new("mayor endorsement", HttpMethod.Post, application + "/mayor-endorsement", Caller.Mayor(city),
                () => new JsonObject { ["statement"] = "I endorse." }),
            new("progress report", HttpMethod.Post, $"/api/v1/cities/{city}/progress-reports", Caller.Mayor(city),
                () => new JsonObject { ["summary"] = "S.", ["keyFeatures"] = new JsonObject { ["qualityInLearning"] = "Q." } }),
            new("suspend", HttpMethod.Post, $"/api/v1/cities/{city}/membership/suspend", Caller.Coordinator,
                () => new JsonObject { ["reason"] = "R." }),
            new("schedule period", HttpMethod.Post, "/api/v1/periods", Caller.Coordinator,
                () => new JsonObject
                {
                    ["id"] = "fuzz", ["opensAt"] = "2040-01-01T00:00:00Z", ["applicationWindow"] = "P2M", ["endorsementWindow"] = "P1M", ["quota"] = 3,
                }),
            new("grant award", HttpMethod.Post, "/api/v1/awards", Caller.Coordinator,
                () => new JsonObject { ["cityId"] = city, ["year"] = 2026, ["citation"] = "C." }),
            new("decide", HttpMethod.Post, $"/api/v1/periods/{SharedWorld.Period}/applications/{city}/decision", Caller.Coordinator,
                () => new JsonObject { ["decision"] = "admit", ["reason"] = "R." }),
            new("endorse", HttpMethod.Post, $"/api/v1/commissions/{Country}/periods/{SharedWorld.Period}/endorsements", Caller.Commission(Country),
                () => new JsonObject { ["cityId"] = city }),
            new("dev token", HttpMethod.Post, "/api/v1/dev/tokens", Caller.Anonymous,
                () => new JsonObject { ["role"] = "city", ["city"] = city, ["cityRole"] = "mayor" }),
        ];
    }

    private static Sent Mutate(JsonObject template, Mutation mutation, Random random)
    {
        const string json = "application/json";
        switch (mutation)
        {
            case Mutation.Truncate:
            {
                var text = template.ToJsonString();
                var cut = random.Next(text.Length);
                return new Sent($"cut at {cut}", Encoding.UTF8.GetBytes(text[..cut]), json, HttpStatusCode.BadRequest);
            }

            case Mutation.WrongType:
            {
                var (parent, key) = PickProperty(template, random, includeOpen: true);
                JsonNode wrong = parent[key] switch
                {
                    JsonObject => Pick(random, (JsonNode)"text", 7, true, new JsonArray()),
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => Pick(random, (JsonNode)42, true, false, new JsonArray("x"), new JsonObject()),
                    _ => Pick(random, (JsonNode)"12", true, new JsonArray(), new JsonObject(), 1.5),
                };
                parent[key] = wrong;
                return Json($"{key} = {wrong.ToJsonString()}", template.ToJsonString());
            }

            case Mutation.UnknownField:
            {
                var parent = PickObject(template, random, includeOpen: false);
                var name = "zz" + Letters(random, 6);
                parent[name] = "surprise";
                return Json($"field {name}", template.ToJsonString());
            }

            case Mutation.DuplicateField:
            {
                var (_, key) = PickProperty(template, random, includeOpen: false, rootOnly: true);
                var text = template.ToJsonString();
                var name = random.Next(2) == 0 ? key : char.ToUpperInvariant(key[0]) + key[1..];
                var value = template[key]!.ToJsonString();
                return Json($"{name} twice", "{\"" + name + "\":" + value + "," + text[1..]);
            }

            case Mutation.ControlCharacter:
            {
                var control = (char)random.Next(0, 0x20);
                var text = WithMarker(template, random).Replace(Marker, "a" + control + "b", StringComparison.Ordinal);
                return Json($"U+{(int)control:X4} raw in a string", text);
            }

            case Mutation.InvalidUtf8:
            {
                byte[][] invalid = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80]];
                var bytes = invalid[random.Next(invalid.Length)];
                var parts = WithMarker(template, random).Split(Marker);
                var body = Encoding.UTF8.GetBytes(parts[0]).Concat(bytes).Concat(Encoding.UTF8.GetBytes(parts[1])).ToArray();
                return new Sent($"bytes {Convert.ToHexString(bytes)} in a string", body, json, HttpStatusCode.BadRequest);
            }

            case Mutation.DeepNesting:
            {
                var depth = random.Next(40, 5000);
                var (parent, key) = PickProperty(template, random, includeOpen: true);
                parent[key] = Marker;
                var nested = new string('[', depth) + new string(']', depth);
                return Json($"{key} nested {depth} deep", template.ToJsonString().Replace($"\"{Marker}\"", nested, StringComparison.Ordinal));
            }

            case Mutation.Huge:
            {
                var size = random.Next(257 * 1024, 1024 * 1024);
                var (parent, key) = PickProperty(template, random, includeOpen: false, rootOnly: true);
                parent[key] = new string('h', size);
                return new Sent($"{size} bytes", Encoding.UTF8.GetBytes(template.ToJsonString()), json, HttpStatusCode.RequestEntityTooLarge);
            }

            case Mutation.NotAnObject:
                return Json("not an object", Pick(random, "[]", "[{}]", "\"text\"", "42", "true", "null", "-0", "\"{}\""));

            case Mutation.RandomBytes:
            {
                var bytes = new byte[random.Next(1, 2048)];
                random.NextBytes(bytes);
                bytes[0] = Pick(random, (byte)0xFF, (byte)0x00, (byte)'#', (byte)'}', (byte)0x07);
                return new Sent($"{bytes.Length} random bytes", bytes, json, HttpStatusCode.BadRequest);
            }

            case Mutation.WrongMediaType:
            {
                var type = Pick<string?>(random, null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b",
                    "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "image/png", "text/html");
                return new Sent(type ?? "no Content-Type", Encoding.UTF8.GetBytes(template.ToJsonString()), type, HttpStatusCode.UnsupportedMediaType);
            }

            case Mutation.Empty:
                return new Sent("empty body", [], json, HttpStatusCode.BadRequest);

            case Mutation.TrailingGarbage:
                return Json("trailing garbage", template.ToJsonString() + Pick(random, "x", "}", "{}", ",", "[]", "\"\""));

            case Mutation.Comment:
                return Json("a comment", "/* hello */" + template.ToJsonString());

            case Mutation.TrailingComma:
                return Json("a trailing comma", template.ToJsonString()[..^1] + ",}");

            case Mutation.SingleQuotes:
                return Json("single quotes", template.ToJsonString().Replace('"', '\''));

            case Mutation.NumberOutOfRange:
            {
                var (parent, key) = PickProperty(template, random, includeOpen: false, rootOnly: true);
                parent[key] = Marker;
                var number = Pick(random, "1e400", "99999999999999999999999999", "-99999999999999999999999999", "NaN", "Infinity", "0x10", "01", "1.", ".5", "+1");
                return Json($"{key} = {number}", template.ToJsonString().Replace($"\"{Marker}\"", number, StringComparison.Ordinal));
            }

            case Mutation.EscapedControlCharacter:
            {
                var control = Pick(random, 0x00, 0x01, 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F, 0x85, 0x9B);
                var escape = string.Create(CultureInfo.InvariantCulture, $"\\u{control:x4}");
                var text = WithMarker(template, random).Replace(Marker, "a" + escape + "b", StringComparison.Ordinal);
                return Json($"{escape} escaped in a string", text);
            }

            case Mutation.LoneSurrogate:
            {
                var escape = Pick(random, "\\ud800", "\\udfff", "\\ud83d", "\\udc00\\ud800");
                var text = WithMarker(template, random).Replace(Marker, "a" + escape + "b", StringComparison.Ordinal);
                return Json($"{escape} (a lone surrogate) in a string", text);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
    }

    private static Sent Json(string description, string text) =>
        new(description, Encoding.UTF8.GetBytes(text), "application/json", HttpStatusCode.BadRequest);

    /// <summary>The template with one string value replaced by a marker, serialized.</summary>
    private static string WithMarker(JsonObject template, Random random)
    {
        var strings = Properties(template, includeOpen: true).Where(p => p.Parent[p.Key] is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList();
        var (parent, key) = strings[random.Next(strings.Count)];
        parent[key] = "x" + Marker + "y";
        return template.ToJsonString();
    }

    private static (JsonObject Parent, string Key) PickProperty(JsonObject root, Random random, bool includeOpen, bool rootOnly = false)
    {
        var all = rootOnly ? [.. root.Select(p => (root, p.Key))] : Properties(root, includeOpen);
        return all[random.Next(all.Count)];
    }

    private static JsonObject PickObject(JsonObject root, Random random, bool includeOpen)
    {
        var objects = new List<JsonObject> { root };
        objects.AddRange(Properties(root, includeOpen).Select(p => p.Parent[p.Key]).OfType<JsonObject>().Where(o => includeOpen || !IsOpen(o)));
        return objects[random.Next(objects.Count)];
    }

    /// <summary>Every property, nested ones too; "open" objects (maps such as keyFeatures) only when asked.</summary>
    private static List<(JsonObject Parent, string Key)> Properties(JsonObject root, bool includeOpen)
    {
        var found = new List<(JsonObject, string)>();
        foreach (var (key, value) in root.ToList())
        {
            found.Add((root, key));
            if (value is JsonObject child && (includeOpen || !IsOpen(child)))
            {
                found.AddRange(Properties(child, includeOpen));
            }
        }

        return found;
    }

    private static bool IsOpen(JsonObject value) => value.GetPropertyName() == "keyFeatures";

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static string Letters(Random random, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => (char)('a' + random.Next(26))));

    /// <summary>Everything the fuzzed requests could have changed, as one comparable string.</summary>
    private async Task<string> SnapshotAsync(string city)
    {
        var application = $"/api/v1/cities/{city}/applications/{SharedWorld.Period}";
        var directory = await api.GetAsync($"/api/v1/cities?country={Country}");
        var periods = await api.GetAsync("/api/v1/periods");
        var awards = await api.GetAsync("/api/v1/awards");
        var commission = await api.GetAsync($"/api/v1/commissions/{Country}/periods/{SharedWorld.Period}/applications", Caller.Commission(Country));
        var head = await api.Factory.Services.GetRequiredService<IClusterClient>().GetGrain<IEventLogGrain>(IEventLogGrain.Key).GetHeadAsync();
        return string.Join(
            " | ",
            "event log head " + head.ToString(CultureInfo.InvariantCulture),
            await api.ETagAsync($"/api/v1/cities/{city}"),
            (await api.GetAsync($"/api/v1/cities/{city}")).GetRawText(),
            await api.ETagAsync(application, Caller.Mayor(city)),
            (await api.GetAsync(application, Caller.Mayor(city))).GetRawText(),
            await api.ETagAsync($"/api/v1/periods/{SharedWorld.Period}"),
            directory.GetProperty("total").GetInt32().ToString(CultureInfo.InvariantCulture),
            periods.GetRawText(),
            awards.GetProperty("total").GetInt32().ToString(CultureInfo.InvariantCulture),
            commission.GetRawText());
    }
}
