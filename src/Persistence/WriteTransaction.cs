using Npgsql;

namespace EventSeries.Persistence;

/// <summary>
/// The transaction one store write runs in, handed to a second write that must commit with it (a
/// recurring parent's first children with the parent, a job with the change it carries out). A
/// grain composes the two without seeing the database: only stores read what is inside.
/// </summary>
public sealed class WriteTransaction
{
    internal WriteTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    internal NpgsqlConnection Connection { get; }

    internal NpgsqlTransaction Transaction { get; }
}

/// <summary>A write that commits (or rolls back) with the transaction it is given.</summary>
public delegate Task AlongsideWrite(WriteTransaction transaction);
