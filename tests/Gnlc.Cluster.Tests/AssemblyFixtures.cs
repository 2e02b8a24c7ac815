using Gnlc.Testing;

// One throwaway PostgreSQL server for the whole assembly; every test class takes a fresh database on it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
