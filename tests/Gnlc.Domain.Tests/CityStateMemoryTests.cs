using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.State;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

/// <summary>A city state held by every activation shares what it can: empty lists and the country code.</summary>
public class CityStateMemoryTests
{
    private static readonly RegisterCity Cork = new("Cork", "IE", 224_004, "Dan Boyle");

    [Fact]
    public void A_new_state_holds_the_shared_empty_lists()
    {
        var a = new CityState();
        var b = new CityState();
        Assert.Same(a.Representatives, b.Representatives);
        Assert.Same(a.Reports, b.Reports);
        Assert.Same(a.Awards, b.Awards);
        Assert.Same(a.Admissions, b.Admissions);
        Assert.Same(a.PendingEvents, b.PendingEvents);
        Assert.Empty(a.Representatives);
    }

    [Fact]
    public void Registered_cities_of_one_country_share_its_code()
    {
        var cork = CityRules.Register(new CityState(), "ie-cork", Coordinator, Cork, Now);
        var galway = CityRules.Register(new CityState(), "ie-galway", Coordinator, Cork with { Name = "Galway", CountryCode = " ie " }, Now);
        Assert.Equal("ie", cork.Country);
        Assert.Same(cork.Country, galway.Country);
    }

    [Fact]
    public void Compacting_a_read_state_shares_its_empty_lists_and_keeps_every_value()
    {
        // What a deserializer hands back: a new empty list per field and a new country string.
        var read = CityRules.Register(new CityState(), "ie-cork", Coordinator, Cork, Now) with
        {
            Country = new string("ie".AsSpan()),
            Representatives = new List<string>(),
            Reports = new List<ProgressReport>(),
            Awards = new List<Award>(),
            Admissions = new List<string> { "2025" },
            PendingEvents = new List<DomainEvent>(),
        };

        var compact = read.Compact();

        Assert.Same(new CityState().Representatives, compact.Representatives);
        Assert.Same(new CityState().Reports, compact.Reports);
        Assert.Same(new CityState().Awards, compact.Awards);
        Assert.Same(new CityState().PendingEvents, compact.PendingEvents);
        Assert.Same(read.Admissions, compact.Admissions);
        Assert.Same(string.Intern("ie"), compact.Country);
        Assert.Equal(
            (read.Id, read.Name, read.Country, read.Population, read.Mayor, read.Status, read.Version, read.PendingSummary),
            (compact.Id, compact.Name, compact.Country, compact.Population, compact.Mayor, compact.Status, compact.Version, compact.PendingSummary));
    }

    [Fact]
    public void Rules_build_new_lists_from_the_shared_empty_ones_and_leave_them_empty()
    {
        var city = CityRules.Register(new CityState(), "ie-cork", Coordinator, Cork, Now).Compact();
        city = CityRules.Admit(city, new AdmissionNotice("2025", "ie-cork", Now));
        city = CityRules.EndorseRepresentative(city, Actor.Mayor("ie-cork"), "Siobhan O'Dwyer");
        city = CityRules.GrantAward(city, Coordinator, new GrantAward(2025, "For its Learning Festival."), Now);

        Assert.Equal(["2025"], city.Admissions);
        Assert.Equal(["Siobhan O'Dwyer"], city.Representatives);
        Assert.Single(city.Awards);
        Assert.Empty(new CityState().Representatives);
        Assert.Empty(new CityState().Admissions);
        Assert.Empty(new CityState().Awards);
    }

    [Fact]
    public void Shared_if_empty_keeps_a_list_with_items()
    {
        IReadOnlyList<int> items = new List<int> { 1 };
        Assert.Same(items, items.SharedIfEmpty());
        Assert.Same(PersistedCollections.NoItems<int>(), new List<int>().SharedIfEmpty());
    }
}
