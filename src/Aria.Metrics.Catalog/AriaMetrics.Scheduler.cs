using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>Scheduler layer: job runs and registered jobs.</summary>
public sealed partial class AriaMetrics
{
    /// <summary>
    /// Runs a scheduled job and records the run by its outcome, as <see cref="RecordSchedulerRun"/> does:
    /// <c>aria_scheduler_executions_total{job_id, status="success"|"error"}</c>, its duration, on the monotonic clock, in
    /// <c>aria_scheduler_execution_duration_seconds{job_id}</c>, and, on success only, the time it ended in
    /// <c>aria_scheduler_last_run_timestamp{job_id}</c>.
    /// </summary>
    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})" path="/remarks"/>
    /// <param name="jobId">The job, the <c>job_id</c> label.</param>
    /// <param name="operation">The job's work.</param>
    /// <returns>The run's outcome, as the operation produced it.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is null or empty, or refused by the registry.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is null.</exception>
    [OverloadResolutionPriority(1)]
    public Task TrackSchedulerRunAsync(string jobId, Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return SchedulerRunCall(jobId).Run(operation);
    }

    /// <inheritdoc cref="TrackSchedulerRunAsync(string, Func{Task})"/>
    /// <typeparam name="T">The result.</typeparam>
    [OverloadResolutionPriority(1)]
    public Task<T> TrackSchedulerRunAsync<T>(string jobId, Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return SchedulerRunCall(jobId).Run(operation);
    }

    /// <inheritdoc cref="TrackSchedulerRunAsync(string, Func{Task})"/>
    public ValueTask TrackSchedulerRunAsync(string jobId, Func<ValueTask> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return SchedulerRunCall(jobId).Run(operation);
    }

    /// <inheritdoc cref="TrackSchedulerRunAsync(string, Func{Task})"/>
    /// <typeparam name="T">The result.</typeparam>
    public ValueTask<T> TrackSchedulerRunAsync<T>(string jobId, Func<ValueTask<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return SchedulerRunCall(jobId).Run(operation);
    }

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

    /// <summary>
    /// Removes a job that was unregistered from every family labelled by it: <c>aria_scheduler_executions_total</c> (both
    /// statuses), <c>aria_scheduler_execution_duration_seconds</c> and <c>aria_scheduler_last_run_timestamp</c>, so that
    /// it stops being exported. Recording a run of the job again brings its series back.
    /// </summary>
    /// <returns>How many series were removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is null or empty.</exception>
    public int ForgetSchedulerJob(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return Count(
            SchedulerExecutionsTotal.Remove(jobId, StatusLabel(ExecutionStatus.Success)),
            SchedulerExecutionsTotal.Remove(jobId, StatusLabel(ExecutionStatus.Error)),
            SchedulerExecutionDuration.Remove(jobId),
            SchedulerLastRun.Remove(jobId));
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

    // Inlined into each overload: a tracked call is a few lookups and cell updates, and one call more was measurable.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TrackedCall SchedulerRunCall(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return new TrackedCall(
            Registry,
            "AriaMetrics.TrackSchedulerRunAsync",
            jobId,
            SchedulerExecutionsTotal,
            (Success, Failure),
            SchedulerExecutionDuration,
            lastSuccess: SchedulerLastRun);
    }
}
