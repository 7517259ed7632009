namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>
/// The rounds a <see cref="ScalingGate"/> has made, sorted as they come: a round whose padded cells scaled below
/// <see cref="ScalingGate.QuietBaseline"/> ran while other work held a core and only counts as an attempt; the others
/// are valid, and those of them in which two separate series scaled at least <see cref="ScalingGate.SeparateSeriesQuiet"/>
/// also count for the goal check.
/// </summary>
/// <param name="goalRoundsNeeded">Rounds the goal check needs before measuring may stop; 0 for a gate without one.</param>
internal sealed class ScalingRounds(int goalRoundsNeeded)
{
    private readonly List<double> _ratios = [];
    private readonly List<double> _shares = [];
    private readonly List<double> _independents = [];
    private readonly List<double> _baselines = [];
    private readonly List<double> _goalRatios = [];

    /// <summary>Two threads on one series over one thread on a fresh series, per valid round.</summary>
    public IReadOnlyList<double> Ratios => _ratios;

    /// <summary>What one shared series got of two separate series' scaling, per valid round.</summary>
    public IReadOnlyList<double> Shares => _shares;

    /// <summary>Two separate series' scaling, per valid round.</summary>
    public IReadOnlyList<double> Independents => _independents;

    /// <summary>The padded cells' scaling (the machine's limit), per valid round.</summary>
    public IReadOnlyList<double> Baselines => _baselines;

    /// <summary>Two threads on one series over one thread on that same series, per valid round where separate series scaled.</summary>
    public IReadOnlyList<double> GoalRatios => _goalRatios;

    /// <summary>Rounds made, void ones included.</summary>
    public int Attempts { get; private set; }

    /// <summary>
    /// Whether measuring may stop: <see cref="ScalingGate.Rounds"/> valid rounds and the goal check's rounds are in, or
    /// <see cref="ScalingGate.MaxAttempts"/> rounds were made.
    /// </summary>
    public bool Done =>
        (_ratios.Count >= ScalingGate.Rounds && _goalRatios.Count >= goalRoundsNeeded) || Attempts >= ScalingGate.MaxAttempts;

    /// <summary>Adds one round's scalings, each two threads' total over one thread's.</summary>
    public void Add(double ratio, double sameSeries, double independent, double baseline)
    {
        Attempts++;
        if (baseline >= ScalingGate.QuietBaseline)
        {
            _ratios.Add(ratio);
            _shares.Add(ratio / independent);
            _independents.Add(independent);
            _baselines.Add(baseline);
            if (independent >= ScalingGate.SeparateSeriesQuiet)
            {
                _goalRatios.Add(sameSeries);
            }
        }
    }
}
