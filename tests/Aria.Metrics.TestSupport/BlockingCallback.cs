namespace Aria.Metrics.TestSupport;

/// <summary>
/// A collect callback that hangs until released, as one behind a dead database would: it counts its calls and how
/// many threads are inside it at once. Shared by the engine's and the server's tests.
/// </summary>
public sealed class BlockingCallback : IDisposable
{
    private readonly ManualResetEventSlim _release = new(initialState: false);
    private int _calls;
    private int _inside;
    private int _mostInside;

    /// <summary>How many times it has been called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>How many threads are inside it now.</summary>
    public int Inside => Volatile.Read(ref _inside);

    /// <summary>The most threads that were ever inside it at once.</summary>
    public int MostInside => Volatile.Read(ref _mostInside);

    /// <summary>The callback to register.</summary>
    public void Invoke()
    {
        Interlocked.Increment(ref _calls);
        int inside = Interlocked.Increment(ref _inside);
        int most;
        while (inside > (most = Volatile.Read(ref _mostInside)) && Interlocked.CompareExchange(ref _mostInside, inside, most) != most)
        {
        }

        try
        {
            // Bounded, so that a failing test cannot leave a thread behind for the rest of the run.
            _release.Wait(TimeSpan.FromSeconds(60));
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    /// <summary>Lets the current call return, and every later call pass straight through.</summary>
    public void Release() => _release.Set();

    // Released rather than disposed: a thread may still be on its way out of Wait.
    public void Dispose() => _release.Set();
}
