using System.Net;
using System.Text.Json;
using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Events;
using Gnlc.Time;

namespace Gnlc.Api.Tests.Events;

/// <summary>The feed over real HTTP while a whole membership cycle runs on the grains.</summary>
public sealed class EventFeedTests(FeedFixture fixture) : IClassFixture<FeedFixture>
{
    private static readonly DomainEventType[] ChosenTypes =
        [DomainEventType.ApplicationSubmitted, DomainEventType.ApplicationEndorsed, DomainEventType.ApplicationDecided];

    [Fact]
    public async Task Every_status_change_of_a_membership_cycle_is_on_the_feed_once_in_order_and_filters_apply()
    {
        var ct = TestContext.Current.CancellationToken;
        var cycle = new MembershipCycle(fixture.Grains);
        var before = await fixture.CaughtUpHeadAsync();
        await using var first = await SseClient.ConnectAsync(fixture.Address, cancellationToken: ct);
        await using var second = await SseClient.ConnectAsync(fixture.Address, cancellationToken: ct);
        // Country in upper case, types in mixed case and repeated: both are accepted.
        await using var irish = await SseClient.ConnectAsync(
            fixture.Address, "?country=IE&types=applicationsubmitted,ApplicationEndorsed&types=ApplicationDecided", cancellationToken: ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/event-stream", first.ContentType);
        // Connected means subscribed: the headers go out after the subscription, so no wait is needed before writing.
        Assert.True(fixture.Hub.SubscriberCount >= 3, $"{fixture.Hub.SubscriberCount} subscribers once three clients had their headers");

        var period = await cycle.OpenPeriodAsync();
        // Joins late and resumes from the start: what it missed comes from the log, the rest live.
        await using var ofPeriod = await SseClient.ConnectAsync(fixture.Address, $"?period={period.Id}&lastEventId={before}", cancellationToken: ct);
        var chosen = await cycle.RegisterCityAsync("IE", "Feedford");
        var other = await cycle.RegisterCityAsync("IE", "Quietown");
        var foreign = await cycle.RegisterCityAsync("FR", "Apprendreville");
        foreach (var city in new[] { chosen, other, foreign })
        {
            await cycle.ApplyAsync(city.Id, period.Id);
        }

        await cycle.Commission("IE").EndorseAsync(Actor.Commission("IE"), period.Id, chosen.Id);
        await cycle.Commission("FR").EndorseAsync(Actor.Commission("FR"), period.Id, foreign.Id);
        await cycle.Clock.AdvanceByAsync(CalendarDuration.FromMonths(2));
        await cycle.Commission("IE").ForwardAsync(Actor.Commission("IE"), period.Id);
        await cycle.Commission("FR").ForwardAsync(Actor.Commission("FR"), period.Id);
        await cycle.Clock.AdvanceByAsync(CalendarDuration.FromMonths(1));
        await cycle.Application(period.Id, chosen.Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Admit, "Strong plan"));
        await cycle.Application(period.Id, foreign.Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Decline, "Not yet"));
        await cycle.Period(period.Id).CloseAsync(Actor.Coordinator);

        var log = (await fixture.ReadLogAsync()).Where(e => e.Position > before).ToList();
        var head = log[^1].Position;
        var expectedIrish = log.Where(e => string.Equals(e.Event.Country, "ie", StringComparison.OrdinalIgnoreCase) && ChosenTypes.Contains(e.Event.Type)).ToList();
        var expectedPeriod = log.Where(e => e.Event.Period == period.Id).ToList();

        FeedAssert.SameAsLog(log, await first.WaitForPositionAsync(head));
        FeedAssert.SameAsLog(log, await second.WaitForPositionAsync(head));
        FeedAssert.SameAsLog(expectedIrish, await irish.WaitForPositionAsync(expectedIrish[^1].Position));
        FeedAssert.SameAsLog(expectedPeriod, await ofPeriod.WaitForPositionAsync(expectedPeriod[^1].Position));
        FeedAssert.OncePerEntityVersionInOrder(log);

        // Every status change of the cycle, once and in order, for each kind of entity.
        Assert.Equal(["Scheduled", "Open", "Endorsement", "Review", "Closed"], Of(log, EntityKind.Period, period.Id).Select(e => e.Status));
        Assert.Equal(
            [DomainEventType.ApplicationSubmitted, DomainEventType.ApplicationEndorsed, DomainEventType.ApplicationForwarded, DomainEventType.ApplicationDecided],
            Of(log, EntityKind.Application, $"{period.Id}/{chosen.Id}").Select(e => e.Type));
        Assert.Equal(["Submitted", "Endorsed", "Forwarded", "Admitted"], Of(log, EntityKind.Application, $"{period.Id}/{chosen.Id}").Select(e => e.Status));
        Assert.Equal(["Submitted", "NotEndorsed"], Of(log, EntityKind.Application, $"{period.Id}/{other.Id}").Select(e => e.Status));
        Assert.Equal(["Submitted", "Endorsed", "Forwarded", "Declined"], Of(log, EntityKind.Application, $"{period.Id}/{foreign.Id}").Select(e => e.Status));
        Assert.Equal([DomainEventType.CityRegistered, DomainEventType.MembershipChanged], Of(log, EntityKind.City, chosen.Id).Select(e => e.Type));
        Assert.Equal("Member", Of(log, EntityKind.City, chosen.Id)[^1].Status);
        Assert.Single(Of(log, EntityKind.Commission, "ie"), e => e.Type == DomainEventType.ApplicationsForwarded && e.Period == period.Id);

        // The filtered clients saw only their matches: Irish application events of three types, this period's events.
        Assert.All(irish.Events, e => Assert.Equal("ie", e.Country, ignoreCase: true));
        Assert.Equal(4, irish.Events.Count); // chosen: submitted, endorsed, decided; other: submitted.
        Assert.All(ofPeriod.Events, e => Assert.Equal(period.Id, e.Data.GetProperty("period").GetString()));
    }

    [Theory]
    [InlineData("?country=XX", "country")]
    [InlineData("?country=Ireland", "country")]
    [InlineData("?city=Not%20a%20city", "city")]
    [InlineData("?period=Spring_2025", "period")]
    [InlineData("?types=ApplicationSubmitted,Nonsense", "types")]
    [InlineData("?types=3", "types")]
    [InlineData("?lastEventId=-1", "lastEventId")]
    [InlineData("?lastEventId=abc", "lastEventId")]
    public async Task An_invalid_filter_or_resume_position_is_a_problem(string query, string field)
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };

        using var response = await http.GetAsync(new Uri("/api/v1/events" + query, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("invalid-query", problem.RootElement.GetProperty("code").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Fact]
    public async Task An_invalid_Last_Event_ID_header_is_a_problem()
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/events", UriKind.Relative));
        request.Headers.Add("Last-Event-ID", "yesterday");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_feed_as_an_event_stream_with_its_filters()
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };

        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken));

        var get = document.RootElement.GetProperty("paths").GetProperty("/api/v1/events").GetProperty("get");
        Assert.True(get.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
        Assert.True(get.GetProperty("responses").TryGetProperty("400", out _));
        var parameters = get.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Subset(new HashSet<string?>(parameters), new HashSet<string?> { "country", "city", "period", "types", "lastEventId", "Last-Event-ID" });
    }

    private static List<DomainEvent> Of(IEnumerable<FeedEvent> log, EntityKind kind, string id) =>
        [.. log.Where(e => e.Event.Entity == kind && e.Event.EntityId == id).Select(e => e.Event)];
}
