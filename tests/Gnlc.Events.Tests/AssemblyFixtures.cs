using Gnlc.Testing;

// One throwaway PostgreSQL server for the whole assembly; every PostgreSQL test takes a fresh database on it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
