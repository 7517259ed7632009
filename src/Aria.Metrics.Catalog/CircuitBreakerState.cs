namespace Aria.Metrics.Catalog;

/// <summary>The state of an LLM circuit breaker, exposed as its numeric value in <c>aria_llm_circuit_breaker_state</c>.</summary>
public enum CircuitBreakerState
{
    /// <summary>Calls flow normally.</summary>
    Closed = 0,

    /// <summary>Calls are refused after repeated failures.</summary>
    Open = 1,

    /// <summary>A trial call is let through to see whether the model has recovered.</summary>
    HalfOpen = 2,
}
