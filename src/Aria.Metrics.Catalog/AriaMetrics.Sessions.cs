namespace Aria.Metrics.Catalog;

/// <summary>Session layer: sessions created, active and ended, messages by role.</summary>
public sealed partial class AriaMetrics
{
    /// <summary>Records a new session: <c>aria_sessions_created_total</c> and <c>aria_sessions_active</c> up by one.</summary>
    public void RecordSessionCreated()
    {
        SessionsCreatedTotal.Inc();
        SessionsActive.Inc();
    }

    /// <summary>Counts a message in <c>aria_sessions_messages_total{role}</c>.</summary>
    /// <param name="role">Who sent it: <c>user</c>, <c>assistant</c>, <c>system</c>, <c>tool</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="role"/> is null or empty.</exception>
    public void RecordSessionMessage(string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        SessionsMessagesTotal.WithLabels(role).Inc();
    }

    /// <summary>
    /// Records the end of a session: <c>aria_sessions_active</c> down by one and its duration, from creation to last
    /// message, in <c>aria_session_duration_seconds</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public void RecordSessionEnded(TimeSpan duration)
    {
        CatalogErrors.ThrowIfNegative(duration);
        SessionsActive.Dec();
        SessionDuration.Observe(duration.TotalSeconds);
    }
}
