using System.Net;
using System.Text.Json;
using Gnlc.Api.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests;

/// <summary>
/// The anonymous GETs skip the authorization middleware and status code pages, and write their kept JSON directly:
/// their answers are unchanged, and every other route still gets both.
/// </summary>
public sealed class AnonymousReadPipelineTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("city")]
    [InlineData("/api/v1/network/stats")]
    [InlineData("/api/v1/cities?page=1&pageSize=5")]
    public async Task A_kept_json_body_is_sent_with_its_type_length_and_the_security_headers(string route)
    {
        var city = await api.RegisterCityAsync("Birr " + ApiFixture.Unique(), "IE");
        var path = route == "city" ? $"/api/v1/cities/{city}" : route;

        using var response = await api.Http.GetAsync(new Uri(path, UriKind.Relative), Cancellation);
        var body = await response.Content.ReadAsByteArrayAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Null(response.Headers.TransferEncodingChunked);
        Assert.Empty(response.Headers.AcceptRanges);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        using var json = JsonDocument.Parse(body);
        if (route == "city")
        {
            Assert.Equal("\"v1\"", response.Headers.ETag?.ToString());
            Assert.Equal(city, json.RootElement.GetProperty("id").GetString());
        }
    }

    [Theory]
    [InlineData("/api/v1/no-such-route", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/cities?page=abc", HttpStatusCode.BadRequest)]
    public async Task Other_routes_still_get_a_problem_for_a_status_without_a_body(string path, HttpStatusCode status)
    {
        using var response = await api.Http.GetAsync(new Uri(path, UriKind.Relative), Cancellation);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_protected_route_without_a_token_is_still_401()
    {
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var response = await api.Http.PostAsync(new Uri("/api/v1/cities", UriKind.Relative), content, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task With_a_fallback_policy_every_request_goes_through_authorization()
    {
        var authenticated = 0;
        // A fallback policy naming the bearer scheme: the standard middleware authenticates with it even on an
        // anonymous route, which the handler's event counts.
        await using var factory = new EmbeddedApiFactory(configureServices: services =>
        {
            services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser().Build());
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                options.Events ??= new JwtBearerEvents();
                options.Events.OnMessageReceived = _ =>
                {
                    Interlocked.Increment(ref authenticated);
                    return Task.CompletedTask;
                };
            });
        });
        factory.StartServer();
        using var http = factory.CreateClient();

        using var open = await http.GetAsync(new Uri("/api/v1/member-states", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(1, Volatile.Read(ref authenticated));
        using var closed = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
    }
}
