using Gnlc.Testing;

// One throwaway PostgreSQL server for the whole assembly; every cluster takes a fresh database on it.
[assembly: AssemblyFixture(typeof(PostgresServer))]

// Each test runs four or five .NET processes on a small machine: one test at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
