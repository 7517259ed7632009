namespace Aria.Metrics.Catalog;

/// <summary>Database layer: queries and the connection pool.</summary>
public sealed partial class AriaMetrics
{
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
}
