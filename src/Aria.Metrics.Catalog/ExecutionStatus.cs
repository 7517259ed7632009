namespace Aria.Metrics.Catalog;

/// <summary>How an agent task, a skill or a scheduler run ended: the <c>status</c> label, <c>success</c> or <c>error</c>.</summary>
public enum ExecutionStatus
{
    /// <summary>It completed: <c>status="success"</c>.</summary>
    Success = 0,

    /// <summary>It failed, was cancelled or timed out: <c>status="error"</c>.</summary>
    Error = 1,
}
