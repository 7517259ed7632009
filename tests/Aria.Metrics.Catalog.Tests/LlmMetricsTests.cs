using Aria.Metrics.Catalog;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>Token usage and cost, the price table, circuit-breaker state and thinking time.</summary>
public sealed class LlmMetricsTests
{
    [Fact]
    public void Usage_records_tokens_and_the_cost_from_the_price_table()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        metrics.LlmPrices.Set("gpt-4o", inputUsdPerMillionTokens: 2.50, outputUsdPerMillionTokens: 10.00);

        double? first = metrics.RecordLlmUsage("gpt-4o", inputTokens: 1_000, outputTokens: 500);
        double? second = metrics.RecordLlmUsage("gpt-4o", inputTokens: 2_000_000, outputTokens: 0);

        Assert.Equal(0.0075, first!.Value, 12);
        Assert.Equal(5.0, second!.Value, 12);
        Assert.Equal(2_001_000, metrics.LlmTokensInput.WithLabels("gpt-4o").Value);
        Assert.Equal(500, metrics.LlmTokensOutput.WithLabels("gpt-4o").Value);
        Assert.Equal(5.0075, metrics.LlmTokenCostEstimate.WithLabels("gpt-4o").Value, 12);
    }

    [Fact]
    public void An_unpriced_model_gets_its_tokens_no_cost_and_one_event()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        var reported = new List<string>();
        metrics.UnknownModelPriced += (sender, model) =>
        {
            Assert.Same(metrics, sender);
            reported.Add(model);
        };

        Assert.Null(metrics.RecordLlmUsage("mystery-1", 100, 20));
        Assert.Null(metrics.RecordLlmUsage("mystery-1", 100, 20));
        Assert.Null(metrics.RecordLlmUsage("mystery-2", 1, 1));

        Assert.Equal(["mystery-1", "mystery-2"], reported);
        Assert.Equal(200, metrics.LlmTokensInput.WithLabels("mystery-1").Value);
        Assert.Equal(40, metrics.LlmTokensOutput.WithLabels("mystery-1").Value);
        Assert.Equal(0, metrics.LlmTokenCostEstimate.SeriesCount);

        // Priced later, the model's cost starts counting from then on.
        metrics.LlmPrices.Set("mystery-1", 1, 1);
        Assert.Equal(0.00012, metrics.RecordLlmUsage("mystery-1", 100, 20)!.Value, 12);
        Assert.Equal(2, reported.Count);
    }

    [Fact]
    public void Negative_token_counts_throw_and_record_nothing()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        metrics.LlmPrices.Set("gpt-4o", 2.5, 10);

        Assert.Throws<ArgumentOutOfRangeException>("inputTokens", () => metrics.RecordLlmUsage("gpt-4o", -1, 10));
        Assert.Throws<ArgumentOutOfRangeException>("outputTokens", () => metrics.RecordLlmUsage("gpt-4o", 10, -1));
        Assert.Throws<ArgumentException>(() => metrics.RecordLlmUsage(string.Empty, 10, 10));

        Assert.Equal(0, metrics.LlmTokensInput.SeriesCount);
        Assert.Equal(0, metrics.LlmTokensOutput.SeriesCount);
        Assert.Equal(0, metrics.LlmTokenCostEstimate.SeriesCount);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Bad_costs_throw(double cost)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        Assert.Throws<ArgumentOutOfRangeException>("usd", () => metrics.RecordLlmCost("gpt-4o", cost));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LlmPrice(cost, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LlmPrice(1, cost));
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.LlmPrices.Set("gpt-4o", cost, 1));
        Assert.Equal(0, metrics.LlmTokenCostEstimate.SeriesCount);
        Assert.Equal(0, metrics.LlmPrices.Count);
    }

    [Fact]
    public void A_known_cost_adds_to_the_estimate()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordLlmCost("claude", 0.25);
        metrics.RecordLlmCost("claude", 0);

        Assert.Equal(0.25, metrics.LlmTokenCostEstimate.WithLabels("claude").Value);
    }

    [Fact]
    public void The_price_table_sets_replaces_and_removes()
    {
        var table = new LlmPriceTable();
        table.Set("a", new LlmPrice(1, 2));
        table.Set("a", 3, 4);
        table.Set("b", default);

        Assert.True(table.TryGetPrice("a", out LlmPrice a));
        Assert.Equal(new LlmPrice(3, 4), a);
        Assert.Equal(0.000011, a.CostOf(1, 2), 15);
        Assert.Equal(2, table.Count);
        Assert.Equal(["a", "b"], table.Models.Order(StringComparer.Ordinal));
        Assert.True(table.Remove("a"));
        Assert.False(table.Remove("a"));
        Assert.False(table.TryGetPrice("a", out _));
        Assert.Throws<ArgumentException>(() => table.Set(string.Empty, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.CostOf(-1, 0));
    }

    [Theory]
    [InlineData(CircuitBreakerState.Closed, 0)]
    [InlineData(CircuitBreakerState.Open, 1)]
    [InlineData(CircuitBreakerState.HalfOpen, 2)]
    public void Circuit_breaker_states_are_0_1_and_2(CircuitBreakerState state, double expected)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.SetCircuitBreakerState("gpt-4o", state);

        Assert.Equal(expected, metrics.LlmCircuitBreakerState.WithLabels("gpt-4o").Value);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    public void An_undefined_circuit_breaker_state_throws(int value)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        metrics.SetCircuitBreakerState("gpt-4o", CircuitBreakerState.Open);

        Assert.Throws<ArgumentOutOfRangeException>("state", () => metrics.SetCircuitBreakerState("gpt-4o", (CircuitBreakerState)value));

        Assert.Equal(1, metrics.LlmCircuitBreakerState.WithLabels("gpt-4o").Value);
    }

    [Fact]
    public void Thinking_time_is_observed_in_seconds()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordLlmThinking("o3", TimeSpan.FromSeconds(1.5));
        metrics.RecordLlmThinking("o3", TimeSpan.Zero);

        HistogramSeries thinking = metrics.LlmThinkingDuration.WithLabels("o3");
        Assert.Equal(2, thinking.Count);
        Assert.Equal(1.5, thinking.Sum);
        Assert.Throws<ArgumentOutOfRangeException>("duration", () => metrics.RecordLlmThinking("o3", TimeSpan.FromTicks(-1)));
        Assert.Equal(2, thinking.Count);
    }
}
