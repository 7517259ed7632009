using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>Skill layer: skill executions.</summary>
public sealed partial class AriaMetrics
{
    /// <summary>
    /// Runs a skill and records it by its outcome, as <see cref="RecordSkillExecution"/> does:
    /// <c>aria_skill_executions_total{skill_name, status="success"|"error"}</c> and its duration, on the monotonic clock,
    /// in <c>aria_skill_execution_duration_seconds{skill_name}</c>.
    /// </summary>
    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})" path="/remarks"/>
    /// <param name="skillName">The skill, the <c>skill_name</c> label.</param>
    /// <param name="operation">The skill's work.</param>
    /// <returns>The skill's outcome, as the operation produced it.</returns>
    /// <exception cref="ArgumentException"><paramref name="skillName"/> is null or empty, or refused by the registry.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is null.</exception>
    [OverloadResolutionPriority(1)]
    public Task TrackSkillExecutionAsync(string skillName, Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return SkillCall(skillName).Run(operation);
    }

    /// <inheritdoc cref="TrackSkillExecutionAsync(string, Func{Task})"/>
    /// <typeparam name="T">The result.</typeparam>
    [OverloadResolutionPriority(1)]
    public Task<T> TrackSkillExecutionAsync<T>(string skillName, Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return SkillCall(skillName).Run(operation);
    }

    /// <inheritdoc cref="TrackSkillExecutionAsync(string, Func{Task})"/>
    public ValueTask TrackSkillExecutionAsync(string skillName, Func<ValueTask> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return SkillCall(skillName).Run(operation);
    }

    /// <inheritdoc cref="TrackSkillExecutionAsync(string, Func{Task})"/>
    /// <typeparam name="T">The result.</typeparam>
    public ValueTask<T> TrackSkillExecutionAsync<T>(string skillName, Func<ValueTask<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return SkillCall(skillName).Run(operation);
    }

    /// <summary>
    /// Records a skill execution: <c>aria_skill_executions_total{skill_name, status}</c> and its duration in
    /// <c>aria_skill_execution_duration_seconds{skill_name}</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="skillName"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a named status, or <paramref name="duration"/> is negative.</exception>
    public void RecordSkillExecution(string skillName, ExecutionStatus status, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(skillName);
        CatalogErrors.ThrowIfUndefined(status);
        CatalogErrors.ThrowIfNegative(duration);
        SkillExecutionTotal.WithLabels(skillName, StatusLabel(status)).Inc();
        SkillExecutionDuration.WithLabels(skillName).Observe(duration.TotalSeconds);
    }

    // Inlined into each overload: a tracked call is a few lookups and cell updates, and one call more was measurable.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TrackedCall SkillCall(string skillName)
    {
        ArgumentException.ThrowIfNullOrEmpty(skillName);
        return new TrackedCall(
            Registry, "AriaMetrics.TrackSkillExecutionAsync", skillName, SkillExecutionTotal, (Success, Failure), SkillExecutionDuration);
    }
}
