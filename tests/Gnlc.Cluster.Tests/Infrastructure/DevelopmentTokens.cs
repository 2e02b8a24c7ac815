using System.Net.Http.Json;
using System.Text.Json;

namespace Gnlc.Cluster.Tests.Infrastructure;

/// <summary>Tokens from the Api's Development-only route, for tests that call a clustered Api over HTTP.</summary>
public static class DevelopmentTokens
{
    public static async Task<string> CoordinatorAsync(HttpClient http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "coordinator" }, ct);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("token").GetString()!;
    }
}
