using System.Collections.Concurrent;

namespace Gnlc.Cities;

/// <summary>
/// The process-local registry behind <see cref="ICoHostedCityViews"/>: one singleton per silo (never static, several
/// silos may share a process), written only by that silo's city grains.
/// </summary>
/// <remarks>
/// <para>Why a read from here is never older than an acknowledged change, nor a view of a state that is not stored:</para>
/// <list type="bullet">
/// <item>A grain publishes a view only of a committed state: the state loaded at activation, and each state right after
/// its write succeeded (a failed write restores the previous state and publishes nothing). Every change of a city's
/// state goes through that one write (commands, notices, reminders and the test clock's deadlines alike).</item>
/// <item>It publishes within the turn that wrote, before the command's answer returns: a GET that starts after the
/// answer finds that view or a newer one.</item>
/// <item>The view holds nothing computed from the clock at read time: it is a pure function of the state
/// (<c>CityRules.View</c>); an overdue report changes the state through a deadline, which publishes.</item>
/// <item>An activation withdraws its view first thing in its deactivation, and removes only the view it published
/// itself. On one silo the next activation of the grain exists only after this one has deactivated, and it publishes
/// when its activation completes: between the two, GETs miss and call the grain, which waits for the new activation.
/// With several silos an activation may move or, briefly, be duplicated, so the registry is only registered for the
/// single-silo embedded deployment.</item>
/// </list>
/// </remarks>
public sealed class CityViewRegistry : ICoHostedCityViews
{
    // Each published view in its own holder: withdrawing compares holders by reference, where the record's equality
    // could match another activation's view of the same content.
    private readonly ConcurrentDictionary<string, Published> _views = new(StringComparer.Ordinal);

    /// <summary>How many views are published now. Takes every lock of the dictionary: for tests and diagnostics only.</summary>
    public int Count => _views.Count;

    public bool TryGet(string cityId, out CityView view)
    {
        if (_views.TryGetValue(cityId, out var published))
        {
            view = published.View;
            return true;
        }

        view = null!;
        return false;
    }

    /// <summary>Publishes the committed view of an activation of <see cref="CityView.Id"/>, replacing what it published before.</summary>
    /// <returns>The token that withdraws exactly this publication.</returns>
    public Published Publish(CityView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var published = new Published(view);
        _views[view.Id] = published;
        return published;
    }

    /// <summary>Withdraws <paramref name="published"/> if it is still what is published for its city (never a later one).</summary>
    public void Withdraw(Published published)
    {
        ArgumentNullException.ThrowIfNull(published);
        _views.TryRemove(KeyValuePair.Create(published.View.Id, published));
    }

    /// <summary>One publication of a view; compared by reference.</summary>
    public sealed class Published(CityView view)
    {
        public CityView View { get; } = view;
    }
}
