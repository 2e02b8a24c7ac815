using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests.Security;

/// <summary>
/// Every log line written at any level (Orleans at Information) while callers send bearer tokens and
/// personal data: no token, no part of a token's signature, no mayor name or e-mail address appears.
/// </summary>
public sealed class LogPrivacyTests
{
    [Fact]
    public async Task Tokens_and_personal_data_never_appear_in_the_logs()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new CapturedLogs();
        await using var factory = new ConfiguredApiFactory("Development", new Dictionary<string, string?>(), logs);
        factory.StartServer();
        using var http = factory.CreateClient();

        var coordinator = await TokenAsync(http, new { role = "coordinator" }, ct);
        const string mayor = "Xanthippe Quillfeather";
        const string newMayor = "Bartholomew Zephyrinus";
        const string email = "focal.zyxwvu@learning.example";
        var name = "Privacyville " + ApiFixture.Unique();

        using var registered = await SendAsync(http, HttpMethod.Post, "/api/v1/cities", coordinator, new { name, countryCode = "IE", population = 1000, mayor }, ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var city = (await registered.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        var mayorToken = await TokenAsync(http, new { role = "city", city, cityRole = "mayor" }, ct);

        using (var patched = await SendAsync(http, HttpMethod.Patch, $"/api/v1/cities/{city}", mayorToken, new { mayor = newMayor }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        var form = ApiFixture.CompleteForm();
        form["focalPoint"]!["email"] = email;
        form["focalPoint"]!["name"] = mayor;
        using (var draft = await SendAsync(http, HttpMethod.Put, $"/api/v1/cities/{city}/applications/nope", mayorToken, form, ct))
        {
            Assert.True((int)draft.StatusCode is >= 400 and < 500);
        }

        // Refusals and failures log too: a malformed body, a forbidden caller, a broken token.
        using (await SendAsync(http, HttpMethod.Post, "/api/v1/cities", mayorToken, new { name, countryCode = "IE", population = 1000, mayor }, ct))
        {
        }

        using (await SendAsync(http, HttpMethod.Patch, $"/api/v1/cities/{city}", mayorToken, "{\"mayor\": \"" + mayor + "\", ", ct))
        {
        }

        var tampered = mayorToken[..^4] + "AAAA";
        using (var refused = await SendAsync(http, HttpMethod.Patch, $"/api/v1/cities/{city}", tampered, new { mayor }, ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (await SendAsync(http, HttpMethod.Get, $"/api/v1/cities/{city}", coordinator, null, ct))
        {
        }

        var lines = logs.Lines.ToList();
        Assert.NotEmpty(lines);
        string[] secrets =
        [
            coordinator, mayorToken, tampered,
            coordinator.Split('.')[2], mayorToken.Split('.')[2], mayorToken.Split('.')[1],
            mayor, newMayor, email, "Quillfeather", "Zephyrinus",
        ];
        foreach (var secret in secrets)
        {
            var leaked = lines.FirstOrDefault(line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.True(leaked is null, $"'{secret[..Math.Min(12, secret.Length)]}…' appears in the log: {leaked}");
        }
    }

    private static async Task<string> TokenAsync(HttpClient http, object claims, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/dev/tokens", claims, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string token, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, ApiFixture.JsonOptions), System.Text.Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request, ct);
    }
}
