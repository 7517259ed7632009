namespace Aria.Metrics.Catalog;

/// <summary>Agent layer: routing decisions, pheromone scores, tasks, active agents.</summary>
public sealed partial class AriaMetrics
{
    /// <summary>
    /// Records a routing decision: <c>aria_agent_routing_total{selected_agent}</c> and the time it took in
    /// <c>aria_agent_routing_duration_seconds</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="selectedAgent"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decisionTime"/> is negative.</exception>
    public void RecordRouting(string selectedAgent, TimeSpan decisionTime)
    {
        ArgumentException.ThrowIfNullOrEmpty(selectedAgent);
        CatalogErrors.ThrowIfNegative(decisionTime);
        AgentRoutingTotal.WithLabels(selectedAgent).Inc();
        AgentRoutingDuration.Observe(decisionTime.TotalSeconds);
    }

    /// <summary>Sets an agent's current pheromone score in <c>aria_agent_pheromone_score{agent_id}</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="agentId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is NaN or infinite.</exception>
    public void SetPheromoneScore(string agentId, double score)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        CatalogErrors.ThrowIfNotFinite(score);
        AgentPheromoneScore.WithLabels(agentId).Set(score);
    }

    /// <summary>Counts a task an agent executed in <c>aria_agent_tasks_total{agent_id, status}</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="agentId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a named status.</exception>
    public void RecordAgentTask(string agentId, ExecutionStatus status)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        CatalogErrors.ThrowIfUndefined(status);
        AgentTaskTotal.WithLabels(agentId, StatusLabel(status)).Inc();
    }

    /// <summary>Sets the number of active agents, <c>aria_agents_active</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void SetActiveAgents(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        AgentActive.Set(count);
    }

    private static string StatusLabel(ExecutionStatus status) => status == ExecutionStatus.Success ? "success" : "error";
}
