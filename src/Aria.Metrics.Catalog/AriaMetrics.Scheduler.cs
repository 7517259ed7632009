namespace Aria.Metrics.Catalog;

/// <summary>Scheduler layer: job runs and registered jobs.</summary>
public sealed partial class AriaMetrics
{
    /// <summary>
    /// Records a job run: <c>aria_scheduler_executions_total{job_id, status}</c>, its duration in
    /// <c>aria_scheduler_execution_duration_seconds{job_id}</c>, and, on success only, the current time in
    /// <c>aria_scheduler_last_run_timestamp{job_id}</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a named status, or <paramref name="duration"/> is negative.</exception>
    public void RecordSchedulerRun(string jobId, ExecutionStatus status, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        CatalogErrors.ThrowIfUndefined(status);
        CatalogErrors.ThrowIfNegative(duration);
        SchedulerExecutionsTotal.WithLabels(jobId, StatusLabel(status)).Inc();
        SchedulerExecutionDuration.WithLabels(jobId).Observe(duration.TotalSeconds);
        if (status == ExecutionStatus.Success)
        {
            SchedulerLastRun.WithLabels(jobId).SetToCurrentTime();
        }
    }

    /// <summary>Sets how many registered jobs are in <paramref name="status"/>, <c>aria_scheduler_jobs{status}</c>.</summary>
    /// <param name="status">A job status of the scheduler's own, for instance <c>active</c> or <c>paused</c>.</param>
    /// <param name="count">The number of jobs.</param>
    /// <exception cref="ArgumentException"><paramref name="status"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void SetSchedulerJobs(string status, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(status);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        SchedulerJobs.WithLabels(status).Set(count);
    }
}
