using System.Net;
using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>
/// The membership cycle of DOMAIN.md end to end over HTTP, on a cluster of its own (it moves the test clock):
/// registration, a period opening now, draft, the mayor's endorsement, submission, the commission's
/// endorsement and forwarding, the coordinator's admission, closing, progress reports and an overdue report.
/// </summary>
public sealed class MembershipCycleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Country = "FI";

    [Fact]
    public async Task A_city_applies_is_endorsed_admitted_reports_and_falls_overdue()
    {
        var suffix = ApiFixture.Unique();
        var periodId = "cycle-" + suffix;
        var commission = Caller.Commission(Country);

        // The coordinator registers two candidate cities.
        var espoo = await api.RegisterCityAsync("Espoo " + suffix, Country, population: 300_000);
        var tampere = await api.RegisterCityAsync("Tampere " + suffix, Country, population: 250_000);
        Assert.Equal($"fi-espoo-{suffix}", espoo);
        var registered = await api.GetAsync($"/api/v1/cities/{espoo}");
        Assert.Equal("Candidate", registered.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, registered.GetProperty("memberSince").ValueKind);

        // The coordinator schedules a period opening now (the cluster's now): it is Open at once.
        var opensAt = await api.ClockNowAsync();
        using (var scheduled = await api.SendAsync(HttpMethod.Post, "/api/v1/periods", Caller.Coordinator,
            new { id = periodId, opensAt }, cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, scheduled.StatusCode);
            Assert.Equal($"/api/v1/periods/{periodId}", scheduled.Headers.Location?.OriginalString);
            Assert.NotNull(scheduled.Headers.ETag);
        }

        var period = await api.GetAsync($"/api/v1/periods/{periodId}");
        Assert.Equal("Open", period.GetProperty("phase").GetString());
        Assert.Equal("P2M", period.GetProperty("applicationWindow").GetString());
        Assert.Equal("P1M", period.GetProperty("endorsementWindow").GetString());
        Assert.Equal(3, period.GetProperty("quota").GetInt32());
        Assert.Equal(opensAt.AddMonths(2), period.GetProperty("closesAt").GetDateTimeOffset());
        Assert.Equal(opensAt.AddMonths(3), period.GetProperty("endorsementDeadline").GetDateTimeOffset());

        // Espoo: the mayor drafts; submission before the mayor's endorsement is refused.
        var espooApplication = $"/api/v1/cities/{espoo}/applications/{periodId}";
        var draft = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, espooApplication, Caller.Mayor(espoo), ApiFixture.CompleteForm(300_000));
        Assert.Equal("Draft", draft.GetProperty("status").GetString());
        Assert.Equal(espoo, draft.GetProperty("cityId").GetString());
        Assert.Equal(periodId, draft.GetProperty("periodId").GetString());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("mayorEndorsement").ValueKind);
        var refused = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, espooApplication + "/submit", Caller.Mayor(espoo));
        Assert.Equal("mayor-endorsement-required", refused.GetProperty("code").GetString());

        // The mayor endorses the application and a representative; the representative (a delegate) submits.
        var endorsed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, espooApplication + "/mayor-endorsement", Caller.Mayor(espoo),
            new { statement = "I endorse this application." });
        Assert.Equal("I endorse this application.", endorsed.GetProperty("mayorEndorsement").GetProperty("statement").GetString());
        var withDelegate = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/cities/{espoo}/representatives/Aino%20Virtanen", Caller.Mayor(espoo));
        Assert.Contains("Aino Virtanen", withDelegate.GetProperty("representatives").EnumerateArray().Select(r => r.GetString()));
        var submitted = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, espooApplication + "/submit", Caller.Representative(espoo, "Aino Virtanen"));
        Assert.Equal("Submitted", submitted.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, submitted.GetProperty("submittedAt").ValueKind);
        var edit = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Put, espooApplication, Caller.Mayor(espoo), ApiFixture.CompleteForm());
        Assert.Equal("already-submitted", edit.GetProperty("code").GetString());

        // Tampere applies the same way.
        var tampereApplication = $"/api/v1/cities/{tampere}/applications/{periodId}";
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, tampereApplication, Caller.Mayor(tampere), ApiFixture.CompleteForm(250_000));
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tampereApplication + "/mayor-endorsement", Caller.Mayor(tampere), new { statement = "Endorsed." });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tampereApplication + "/submit", Caller.Mayor(tampere));

        // The National Commission sees both, endorses both; forwarding waits for the window to close.
        var commissionPath = $"/api/v1/commissions/{Country}/periods/{periodId}";
        var inbox = await api.GetAsync(commissionPath + "/applications", commission);
        Assert.Equal(2, inbox.GetProperty("total").GetInt32());
        Assert.All(inbox.GetProperty("items").EnumerateArray(), item => Assert.Equal("Submitted", item.GetProperty("status").GetString()));
        Assert.Contains($"Espoo {suffix}", inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("cityName").GetString()));
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, commissionPath + "/endorsements", commission, new { cityId = espoo });
        var both = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, commissionPath + "/endorsements", commission, new { cityId = tampere });
        Assert.Equal(2, both.GetProperty("endorsedCount").GetInt32());
        Assert.Equal("Endorsed", (await api.GetAsync(espooApplication, Caller.Mayor(espoo))).GetProperty("status").GetString());
        var early = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, commissionPath + "/forward", commission);
        Assert.Equal("application-window-open", early.GetProperty("code").GetString());

        // The clock passes closesAt: Endorsement phase; the commission forwards.
        var advanced = await api.AdvanceClockAsync("P2M");
        Assert.True(advanced.GetProperty("deadlinesProcessed").GetInt32() >= 1);
        Assert.True(advanced.GetProperty("now").GetDateTimeOffset() >= opensAt.AddMonths(2));
        Assert.Equal("Endorsement", (await api.GetAsync($"/api/v1/periods/{periodId}")).GetProperty("phase").GetString());
        var forwarded = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, commissionPath + "/forward", commission);
        Assert.Equal(JsonValueKind.String, forwarded.GetProperty("forwardedAt").ValueKind);
        Assert.All(forwarded.GetProperty("items").EnumerateArray(), item => Assert.Equal("Forwarded", item.GetProperty("status").GetString()));
        var tooSoon = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/v1/periods/{periodId}/applications/{espoo}/decision",
            Caller.Coordinator, new { decision = "admit", reason = "Too soon." });
        Assert.Equal("period-not-in-review", tooSoon.GetProperty("code").GetString());

        // The clock passes the endorsement deadline: Review; the coordinator admits both.
        await api.AdvanceClockAsync("P1M");
        Assert.Equal("Review", (await api.GetAsync($"/api/v1/periods/{periodId}")).GetProperty("phase").GetString());
        var admitted = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/periods/{periodId}/applications/{espoo}/decision",
            Caller.Coordinator, new { decision = "admit", reason = "A strong, complete application." });
        Assert.Equal("Admitted", admitted.GetProperty("status").GetString());
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/periods/{periodId}/applications/{tampere}/decision",
            Caller.Coordinator, new { decision = "Admit", reason = "Convincing." });

        var member = await api.GetAsync($"/api/v1/cities/{espoo}");
        Assert.Equal("Member", member.GetProperty("status").GetString());
        var memberSince = member.GetProperty("memberSince").GetDateTimeOffset();
        Assert.Equal(memberSince.AddYears(2), member.GetProperty("nextReportDue").GetDateTimeOffset());

        // Every forwarded application is decided: the coordinator closes the period.
        var closed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/periods/{periodId}/close", Caller.Coordinator);
        Assert.Equal("Closed", closed.GetProperty("phase").GetString());
        Assert.Equal(2, closed.GetProperty("counts").GetProperty("admitted").GetInt32());

        // Statistics and the directory count both members and their inhabitants.
        var stats = await api.GetAsync("/api/v1/network/stats");
        Assert.Equal(2, stats.GetProperty("memberCities").GetInt32());
        Assert.Equal(1, stats.GetProperty("countries").GetInt32());
        Assert.Equal(550_000, stats.GetProperty("inhabitants").GetInt64());
        var members = await api.GetAsync($"/api/v1/cities?country={Country}&status=Member");
        Assert.Equal(2, members.GetProperty("total").GetInt32());

        // Espoo files its first report at once: the next one is due two years after the first due date.
        var reported = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/cities/{espoo}/progress-reports", Caller.Mayor(espoo),
            new { summary = "The first two years.", keyFeatures = new Dictionary<string, string> { ["2.5"] = "Teacher training." } });
        Assert.Equal(memberSince.AddYears(4), reported.GetProperty("nextReportDue").GetDateTimeOffset());
        Assert.Single(reported.GetProperty("progressReports").EnumerateArray());

        // Two years on, Tampere (which filed nothing) is overdue; Espoo is not.
        await api.AdvanceClockAsync("P2Y");
        Assert.Equal("ReportOverdue", (await api.GetAsync($"/api/v1/cities/{tampere}")).GetProperty("status").GetString());
        Assert.Equal("Member", (await api.GetAsync($"/api/v1/cities/{espoo}")).GetProperty("status").GetString());
        var overdue = await api.GetAsync($"/api/v1/cities?country={Country}&status=reportoverdue");
        Assert.Equal([tampere], overdue.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        // Tampere's mayor endorses a delegate, who files the report: a member in good standing again.
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/cities/{tampere}/representatives/{Caller.DefaultRepresentative}", Caller.Mayor(tampere));
        var caughtUp = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/cities/{tampere}/progress-reports", Caller.Representative(tampere),
            new { summary = "Late, but here." });
        Assert.Equal("Member", caughtUp.GetProperty("status").GetString());
    }
}
