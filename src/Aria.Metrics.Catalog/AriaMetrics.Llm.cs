using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>LLM layer: tracked calls (the ticket's <c>track_llm</c>), tokens and cost, circuit breakers, thinking time.</summary>
public sealed partial class AriaMetrics
{
    private readonly ConcurrentDictionary<string, bool> _unpricedModels = new(StringComparer.Ordinal);

    /// <summary>
    /// Raised the first time <see cref="RecordLlmUsage"/> meets a model that <see cref="LlmPrices"/> does not price (once per
    /// model and catalog), with the model's name: the host logs it. Its tokens are recorded; its cost is not.
    /// </summary>
    public event EventHandler<string>? UnknownModelPriced;

    /// <summary>The per-model prices <see cref="RecordLlmUsage"/> turns tokens into dollars with; empty until the host fills it.</summary>
    public LlmPriceTable LlmPrices { get; } = new();

    /// <summary>
    /// Runs an LLM call and records it: <c>aria_llm_requests_total{model, status="success"|"error"}</c>,
    /// <c>aria_llm_request_duration_seconds{model}</c> on the monotonic clock, and on failure
    /// <c>aria_errors_total{error_type=&lt;exception type name&gt;, component="llm"}</c>.
    /// </summary>
    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})" path="/remarks"/>
    /// <param name="model">The model called, the <c>model</c> label.</param>
    /// <param name="operation">The call.</param>
    /// <returns>The call's outcome, as the operation produced it.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or empty, or refused by the registry.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is null.</exception>
    [OverloadResolutionPriority(1)]
    public Task TrackLlmAsync(string model, Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return LlmCall(model).Run(operation);
    }

    /// <inheritdoc cref="TrackLlmAsync(string, Func{Task})"/>
    /// <typeparam name="T">The call's result.</typeparam>
    [OverloadResolutionPriority(1)]
    public Task<T> TrackLlmAsync<T>(string model, Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return LlmCall(model).Run(operation);
    }

    /// <inheritdoc cref="TrackLlmAsync(string, Func{Task})"/>
    public ValueTask TrackLlmAsync(string model, Func<ValueTask> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return LlmCall(model).Run(operation);
    }

    /// <inheritdoc cref="TrackLlmAsync(string, Func{Task})"/>
    /// <typeparam name="T">The call's result.</typeparam>
    public ValueTask<T> TrackLlmAsync<T>(string model, Func<ValueTask<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return LlmCall(model).Run(operation);
    }

    /// <summary>
    /// Records one call's token usage in <c>aria_llm_tokens_input_total{model}</c> and
    /// <c>aria_llm_tokens_output_total{model}</c>, and its cost from <see cref="LlmPrices"/> in
    /// <c>aria_llm_token_cost_estimate_total{model}</c>. A model without a price gets its tokens recorded, no cost, and
    /// one <see cref="UnknownModelPriced"/> event.
    /// </summary>
    /// <returns>The cost recorded in dollars, or null when the model has no price.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token count is negative; nothing is recorded.</exception>
    public double? RecordLlmUsage(string model, long inputTokens, long outputTokens)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        LlmTokensInput.WithLabels(model).Inc(inputTokens);
        LlmTokensOutput.WithLabels(model).Inc(outputTokens);
        if (!LlmPrices.TryGetPrice(model, out LlmPrice price))
        {
            if (_unpricedModels.TryAdd(model, true))
            {
                UnknownModelPriced?.Invoke(this, model);
            }

            return null;
        }

        double cost = price.CostOf(inputTokens, outputTokens);
        LlmTokenCostEstimate.WithLabels(model).Inc(cost);
        return cost;
    }

    /// <summary>Adds a cost known otherwise (a provider's invoice, say) to <c>aria_llm_token_cost_estimate_total{model}</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The cost is negative, NaN or infinite.</exception>
    public void RecordLlmCost(string model, double usd)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        CatalogErrors.ThrowIfNotFiniteNonNegative(usd);
        LlmTokenCostEstimate.WithLabels(model).Inc(usd);
    }

    /// <summary>Sets <c>aria_llm_circuit_breaker_state{model}</c> to 0 (closed), 1 (open) or 2 (half-open).</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is not a named state.</exception>
    public void SetCircuitBreakerState(string model, CircuitBreakerState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        CatalogErrors.ThrowIfUndefined(state);
        LlmCircuitBreakerState.WithLabels(model).Set((int)state);
    }

    /// <summary>Observes the duration of a thinking (reasoning) phase in <c>aria_llm_thinking_duration_seconds{model}</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public void RecordLlmThinking(string model, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        CatalogErrors.ThrowIfNegative(duration);
        LlmThinkingDuration.WithLabels(model).Observe(duration.TotalSeconds);
    }

    // Inlined into each overload: a tracked call is a few lookups and cell updates, and one call more was measurable.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TrackedCall LlmCall(string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        return new TrackedCall(
            Registry,
            "AriaMetrics.TrackLlmAsync",
            model,
            LlmRequestTotal,
            (Success, Failure),
            LlmRequestDuration,
            errors: ErrorsTotal,
            errorComponent: "llm");
    }
}
