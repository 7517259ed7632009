namespace Aria.Metrics.Catalog;

/// <summary>Skill layer: skill executions.</summary>
public sealed partial class AriaMetrics
{
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
}
