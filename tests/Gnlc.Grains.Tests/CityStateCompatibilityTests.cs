using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Domain;
using Gnlc.Events;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Gnlc.Grains.Tests;

/// <summary>
/// City states stored before empty lists were shared (each field a <see cref="List{T}"/>) still load, and a state
/// holding the shared empty lists is stored and read back by every storage serializer.
/// </summary>
[Collection(ClusterDefinition.Name)]
public sealed class CityStateCompatibilityTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2025, 5, 15, 9, 0, 0, TimeSpan.Zero);

    // Written by the Orleans storage serializer at commit 08e0058 (every list a List<T>): a candidate right after
    // registration (its outbox still stored) and a member with a representative, an award, a report and an admission.
    private const string StoredCandidate =
        "IOgABQEFAQNBD2llLWNvcmtBCUNvcmtBBWllAUSwNkETRGFuIEJveWxlCQMBwQExAVnRtylXU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlzdGAxW1tzdHJpbmddXeDBATEBq/zrD3FTeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5MaXN0YDFbW2dubGMuUHJvZ3Jlc3NSZXBvcnRdXeAxAbneld5fU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlzdGAxW1tnbmxjLkF3YXJkXV3gwQE5A+AxAe06drRrU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlzdGAxW1tnbmxjLkRvbWFpbkV2ZW50XV0AAyHoCAMBCQMBwQvBD8ELwQFBE0NhbmRpZGF0ZSGAAGhz346T3QiBAAAAAAAAAADgAQXBAeDgIejAC8ENwQ8JAwEBRLA2wQE5B+ABBeDg";

    private const string StoredMember =
        "IOgABQEVAQNBD2llLWNvcmtBCUNvcmtBBWllAUSwNkETRGFuIEJveWxlCQMFIYAAaHPfjpPdCIEAAAAAAAAAAOAxAVnRtylXU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlzdGAxW1tzdHJpbmddXQADQR9TaW9iaGFuIE8nRHd5ZXLgIYAAKPjsnQ/iCIEAAAAAAAAAAOAxAav86w9xU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlzdGAxW1tnbmxjLlByb2dyZXNzUmVwb3J0XV0AAyHoIIAA6ADRMdHfCIEAAAAAAAAAAOAhgAAoOlhgst4IgQAAAAAAAAAA4EEPU3VtbWFyeTEB2zatc3VTeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5EaWN0aW9uYXJ5YDJbW3N0cmluZ10sW3N0cmluZ11dMAExLNQuHVN0cmluZ0NvbXBhcmVyAAMBAeABA0EHMS4xQAN44ODgMQG53pXeX1N5c3RlbS5Db2xsZWN0aW9ucy5HZW5lcmljLkxpc3RgMVtbZ25sYy5Bd2FyZF1dAAMh6ABKP0E1Rm9yIGl0cyBMZWFybmluZyBGZXN0aXZhbC4hgABoc9+Ok90IgQAAAAAAAAAA4ODgwQE5AwADQQkyMDI14DEB7Tp2tGtTeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5MaXN0YDFbW2dubGMuRG9tYWluRXZlbnRdXeDBAeA=";

    private IServiceProvider Silo => fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress);

    private OrleansGrainStorageSerializer Orleans => new(Silo.GetRequiredService<Serializer>());

    [Fact]
    public void A_candidate_stored_with_lists_loads_with_its_outbox()
    {
        var city = Orleans.Deserialize<CityState>(new BinaryData(Convert.FromBase64String(StoredCandidate)))!;

        Assert.Equal((CityState.CurrentSchema, true, "ie-cork", "Cork", "ie", 224_004L, "Dan Boyle", CityStatus.Candidate, 1L),
            (city.SchemaVersion, city.Registered, city.Id, city.Name, city.Country, city.Population, city.Mayor, city.Status, city.Version));
        Assert.Equal(DomainEventType.CityRegistered, Assert.Single(city.PendingEvents).Type);
        Assert.Equal("ie-cork", city.PendingSummary!.Id);
        Assert.Empty(city.Representatives);
        Assert.Empty(city.Reports);
        Assert.Empty(city.Awards);
        Assert.Empty(city.Admissions);
    }

    [Fact]
    public void A_member_stored_with_lists_loads_compacts_and_takes_further_changes()
    {
        var stored = Orleans.Deserialize<CityState>(new BinaryData(Convert.FromBase64String(StoredMember)))!;
        var city = stored.Compact();

        Assert.Equal(CityStatus.Member, city.Status);
        Assert.Equal(["Siobhan O'Dwyer"], city.Representatives);
        Assert.Equal(["2025"], city.Admissions);
        Assert.Equal((2025, "For its Learning Festival."), (Assert.Single(city.Awards).Year, city.Awards[0].Citation));
        Assert.Equal("x", Assert.Single(city.Reports).KeyFeatures["1.1"]);
        Assert.Same(PersistedCollections.NoItems<DomainEvent>(), city.PendingEvents);
        Assert.Null(city.PendingSummary);

        var next = CityRules.EndorseRepresentative(city, Actor.Mayor("ie-cork"), "Denis Barrett");
        Assert.Equal(["Siobhan O'Dwyer", "Denis Barrett"], next.Representatives);
        Assert.Equal(city.Version + 1, next.Version);
    }

    [Fact]
    public void A_state_with_the_shared_empty_lists_round_trips_through_every_storage_serializer()
    {
        var city = CityRules.Register(new CityState(), "ie-cork", Actor.Coordinator, new RegisterCity("Cork", "IE", 224_004, "Dan Boyle"), Now) with
        {
            PendingEvents = PersistedCollections.NoItems<DomainEvent>(),
            PendingSummary = null,
        };
        foreach (var serializer in StorageSerializers.Of(Silo))
        {
            var copy = serializer.Deserialize<CityState>(serializer.Serialize(city))!.Compact();
            Assert.Equal((city.Id, city.Name, city.Country, city.Version, city.Status), (copy.Id, copy.Name, copy.Country, copy.Version, copy.Status));
            Assert.Empty(copy.Representatives);
            Assert.Empty(copy.PendingEvents);
            Assert.Null(copy.PendingSummary);
            Assert.Equal(["2025"], CityRules.Admit(copy, new Notices.AdmissionNotice("2025", "ie-cork", Now)).Admissions);
        }
    }
}
