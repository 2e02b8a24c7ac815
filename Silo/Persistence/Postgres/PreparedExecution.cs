using System.Data;
using Npgsql;

namespace Gnlc.Silo.Persistence.Postgres;

/// <summary>
/// Runs our hot statements explicitly prepared on a pooled connection, instead of through Npgsql's automatic
/// preparation (which the connection string leaves off, see <see cref="Hosting.GnlcStoreOptions.WithConnectionSettings"/>).
/// </summary>
/// <remarks>
/// Why: with automatic preparation, a statement whose preparing execution is refused at bind time (a parameter the
/// server rejects, such as text holding a NUL character) leaves Npgsql's bookkeeping out of step with the server, and a
/// later command on that connection fails with "Received unexpected backend message DataRow", or runs under another
/// statement's prepared plan (Npgsql 10.0.3; replayed by <c>GrainStorageTests</c> and <c>PostgresEventLogStoreTests</c>).
/// Explicit preparation parses in its own round trip before any value is bound, once per physical connection and SQL
/// text; on a connection that has prepared the text before it sends nothing.
/// </remarks>
internal static class PreparedExecution
{
    /// <summary>
    /// Opens a pooled connection, prepares <paramref name="batch"/>'s statements on it and executes them; the connection
    /// goes back to the pool when the reader is disposed. A single statement is a batch of one.
    /// </summary>
    public static async Task<NpgsqlDataReader> ExecutePreparedAsync(
        this NpgsqlDataSource dataSource, NpgsqlBatch batch, CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            batch.Connection = connection;
            await batch.PrepareAsync(cancellationToken);
            return await batch.ExecuteReaderAsync(behavior | CommandBehavior.CloseConnection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
