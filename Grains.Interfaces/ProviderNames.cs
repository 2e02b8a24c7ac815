namespace Gnlc;

/// <summary>Names of the Orleans providers that grains, silos and clients must agree on.</summary>
public static class ProviderNames
{
    /// <summary>Durable grain storage (SQLite in the embedded default, PostgreSQL when clustered).</summary>
    public const string GrainStorage = "gnlc";

    /// <summary>Storage for stream subscriptions (explicit subscriptions need it; ORLEANS-FACTS).</summary>
    public const string PubSubStore = "PubSubStore";

    /// <summary>Stream provider that carries domain events from grains to the HTTP front end.</summary>
    public const string Events = "events";
}
