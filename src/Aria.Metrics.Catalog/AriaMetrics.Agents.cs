using System.Runtime.CompilerServices;

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

    /// <summary>
    /// Runs a task of an agent and counts it by its outcome, as <see cref="RecordAgentTask"/> does:
    /// <c>aria_agent_tasks_total{agent_id, status="success"|"error"}</c>.
    /// </summary>
    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})" path="/remarks"/>
    /// <param name="agentId">The agent, the <c>agent_id</c> label.</param>
    /// <param name="operation">The task's work.</param>
    /// <returns>The task's outcome, as the operation produced it.</returns>
    /// <exception cref="ArgumentException"><paramref name="agentId"/> is null or empty, or refused by the registry.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is null.</exception>
    [OverloadResolutionPriority(1)]
    public Task TrackAgentTaskAsync(string agentId, Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return AgentTaskCall(agentId).Run(operation);
    }

    /// <inheritdoc cref="TrackAgentTaskAsync(string, Func{Task})"/>
    /// <typeparam name="T">The result.</typeparam>
    [OverloadResolutionPriority(1)]
    public Task<T> TrackAgentTaskAsync<T>(string agentId, Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return AgentTaskCall(agentId).Run(operation);
    }

    /// <inheritdoc cref="TrackAgentTaskAsync(string, Func{Task})"/>
    public ValueTask TrackAgentTaskAsync(string agentId, Func<ValueTask> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return AgentTaskCall(agentId).Run(operation);
    }

    /// <inheritdoc cref="TrackAgentTaskAsync(string, Func{Task})"/>
    /// <typeparam name="T">The result.</typeparam>
    public ValueTask<T> TrackAgentTaskAsync<T>(string agentId, Func<ValueTask<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return AgentTaskCall(agentId).Run(operation);
    }

    /// <summary>Sets the number of active agents, <c>aria_agents_active</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void SetActiveAgents(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        AgentActive.Set(count);
    }

    /// <summary>
    /// Removes an agent that is gone from every family labelled by it: <c>aria_agent_pheromone_score</c>,
    /// <c>aria_agent_tasks_total</c> (both statuses) and <c>aria_agent_routing_total</c>, so that it stops being exported.
    /// Recording for the agent again brings its series back.
    /// </summary>
    /// <returns>How many series were removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="agentId"/> is null or empty.</exception>
    public int ForgetAgent(string agentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        return Count(
            AgentPheromoneScore.Remove(agentId),
            AgentTaskTotal.Remove(agentId, StatusLabel(ExecutionStatus.Success)),
            AgentTaskTotal.Remove(agentId, StatusLabel(ExecutionStatus.Error)),
            AgentRoutingTotal.Remove(agentId));
    }

    private static int Count(params ReadOnlySpan<bool> removed)
    {
        int count = 0;
        foreach (bool one in removed)
        {
            count += one ? 1 : 0;
        }

        return count;
    }

    // The status label values of agent tasks, skills, scheduler runs and LLM calls.
    private const string Success = "success";
    private const string Failure = "error";

    private static string StatusLabel(ExecutionStatus status) => status == ExecutionStatus.Success ? Success : Failure;

    // Inlined into each overload: a tracked call is a few lookups and cell updates, and one call more was measurable.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TrackedCall AgentTaskCall(string agentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        return new TrackedCall(Registry, "AriaMetrics.TrackAgentTaskAsync", agentId, AgentTaskTotal, (Success, Failure));
    }
}
