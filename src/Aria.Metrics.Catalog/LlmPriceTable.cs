using System.Collections.Concurrent;

namespace Aria.Metrics.Catalog;

/// <summary>
/// The per-model prices that turn token counts into <c>aria_llm_token_cost_estimate_total</c>. The host fills it (from
/// its model configuration) and may change it at any time; lookups take no lock.
/// </summary>
public sealed class LlmPriceTable
{
    private readonly ConcurrentDictionary<string, LlmPrice> _prices = new(StringComparer.Ordinal);

    /// <summary>The number of priced models.</summary>
    public int Count => _prices.Count;

    /// <summary>The models priced, in no particular order.</summary>
    public ICollection<string> Models => _prices.Keys;

    /// <summary>Sets the price of <paramref name="model"/>, replacing any set before.</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or empty.</exception>
    public void Set(string model, LlmPrice price)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        _prices[model] = price;
    }

    /// <summary>Sets the price of <paramref name="model"/> in dollars per million input and output tokens.</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A price is negative, NaN or infinite.</exception>
    public void Set(string model, double inputUsdPerMillionTokens, double outputUsdPerMillionTokens) =>
        Set(model, new LlmPrice(inputUsdPerMillionTokens, outputUsdPerMillionTokens));

    /// <summary>Removes the price of <paramref name="model"/>; false when it had none.</summary>
    public bool Remove(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _prices.TryRemove(model, out _);
    }

    /// <summary>The price of <paramref name="model"/>, if it has one.</summary>
    public bool TryGetPrice(string model, out LlmPrice price)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _prices.TryGetValue(model, out price);
    }
}
