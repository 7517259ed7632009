namespace Aria.Metrics.Catalog;

/// <summary>What a model costs, in US dollars per million tokens, for the input sent and the output received.</summary>
public readonly record struct LlmPrice
{
    /// <summary>Creates a price.</summary>
    /// <param name="inputUsdPerMillionTokens">Dollars per million input tokens: finite, not negative.</param>
    /// <param name="outputUsdPerMillionTokens">Dollars per million output tokens: finite, not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A price is negative, NaN or infinite.</exception>
    public LlmPrice(double inputUsdPerMillionTokens, double outputUsdPerMillionTokens)
    {
        CatalogErrors.ThrowIfNotFiniteNonNegative(inputUsdPerMillionTokens);
        CatalogErrors.ThrowIfNotFiniteNonNegative(outputUsdPerMillionTokens);
        InputUsdPerMillionTokens = inputUsdPerMillionTokens;
        OutputUsdPerMillionTokens = outputUsdPerMillionTokens;
    }

    /// <summary>Dollars per million input tokens.</summary>
    public double InputUsdPerMillionTokens { get; }

    /// <summary>Dollars per million output tokens.</summary>
    public double OutputUsdPerMillionTokens { get; }

    /// <summary>The cost in dollars of one call's tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A token count is negative.</exception>
    public double CostOf(long inputTokens, long outputTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        return ((inputTokens * InputUsdPerMillionTokens) + (outputTokens * OutputUsdPerMillionTokens)) / 1_000_000;
    }
}
