namespace Gnlc.Api.Events;

/// <summary>Registers the HTTP front end's side of the event feed.</summary>
public static class EventFeedServiceCollectionExtensions
{
    /// <summary>
    /// Adds the process's one <see cref="EventFeedHub"/> (a hosted service subscribing to the feed streams; add it
    /// after the cluster connection, so that it starts once the cluster client or co-hosted silo has started) and
    /// its options (section <c>Gnlc:Events</c>).
    /// </summary>
    public static IServiceCollection AddGnlcEventFeed(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EventFeedOptions>().BindConfiguration(EventFeedOptions.SectionName);
        services.AddSingleton<FeedReconnectSignal>();
        // Used by an Orleans client (clustered mode) only; a co-hosted silo never loses its connection.
        services.AddSingleton<IClusterConnectionStatusObserver, FeedConnectionObserver>();
        services.AddSingleton<EventFeedHub>();
        services.AddHostedService(sp => sp.GetRequiredService<EventFeedHub>());
        return services;
    }
}
