using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>Database layer: queries and the connection pool.</summary>
public sealed partial class AriaMetrics
{
    /// <summary>
    /// Runs a database query and records it, as <see cref="RecordDbQuery"/> does, whatever its outcome (the family has no
    /// status): <c>aria_db_queries_total{operation}</c> and its duration, on the monotonic clock, in
    /// <c>aria_db_query_duration_seconds{operation}</c>.
    /// </summary>
    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})" path="/remarks"/>
    /// <param name="operation">The kind of query, the <c>operation</c> label: for instance <c>select</c>, <c>insert</c>, <c>update</c>, <c>delete</c>.</param>
    /// <param name="query">The query.</param>
    /// <returns>The query's outcome, as it produced it.</returns>
    /// <exception cref="ArgumentException"><paramref name="operation"/> is null or empty, or refused by the registry.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    [OverloadResolutionPriority(1)]
    public Task TrackDbQueryAsync(string operation, Func<Task> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return DbQueryCall(operation).Run(query);
    }

    /// <inheritdoc cref="TrackDbQueryAsync(string, Func{Task})"/>
    /// <typeparam name="T">The result.</typeparam>
    [OverloadResolutionPriority(1)]
    public Task<T> TrackDbQueryAsync<T>(string operation, Func<Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return DbQueryCall(operation).Run(query);
    }

    /// <inheritdoc cref="TrackDbQueryAsync(string, Func{Task})"/>
    public ValueTask TrackDbQueryAsync(string operation, Func<ValueTask> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return DbQueryCall(operation).Run(query);
    }

    /// <inheritdoc cref="TrackDbQueryAsync(string, Func{Task})"/>
    /// <typeparam name="T">The result.</typeparam>
    public ValueTask<T> TrackDbQueryAsync<T>(string operation, Func<ValueTask<T>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return DbQueryCall(operation).Run(query);
    }

    /// <summary>
    /// Records a query: <c>aria_db_queries_total{operation}</c> and its duration in
    /// <c>aria_db_query_duration_seconds{operation}</c>.
    /// </summary>
    /// <param name="operation">The kind of query, for instance <c>select</c>, <c>insert</c>, <c>update</c>, <c>delete</c>.</param>
    /// <param name="duration">How long it took.</param>
    /// <exception cref="ArgumentException"><paramref name="operation"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public void RecordDbQuery(string operation, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        CatalogErrors.ThrowIfNegative(duration);
        DbQueryTotal.WithLabels(operation).Inc();
        DbQueryDuration.WithLabels(operation).Observe(duration.TotalSeconds);
    }

    /// <summary>Sets the connection pool's size and available connections, <c>aria_db_pool_size</c> and <c>aria_db_pool_available</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public void SetDbPool(int size, int available)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegative(available);
        DbPoolSize.Set(size);
        DbPoolAvailable.Set(available);
    }

    // Inlined into each overload: a tracked call is a few lookups and cell updates, and one call more was measurable.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TrackedCall DbQueryCall(string operation)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        return new TrackedCall(Registry, "AriaMetrics.TrackDbQueryAsync", operation, DbQueryTotal, duration: DbQueryDuration);
    }
}
