using System.Diagnostics;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// Long-lived threads, worker i bound to processor i where the system allows (see <see cref="ProcessorAffinity"/>),
/// that time loops on request: worker i runs loop i. A timing is the wall time from the first worker's start to the
/// last one's end, each read by the worker itself, so neither the wake-up of the workers nor the caller's own
/// scheduling is counted, and a worker that starts late lengthens the timing rather than shortening it.
/// </summary>
internal sealed class PinnedWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _go;
    private readonly long[] _starts;
    private readonly long[] _ends;
    private readonly CountdownEvent _done;
    private Action<int>[] _loops = [];
    private int _updates;
    private volatile bool _stopping;
    private int _bound;

    public PinnedWorkers(int count)
    {
        _threads = new Thread[count];
        _go = new SemaphoreSlim[count];
        _starts = new long[count];
        _ends = new long[count];
        _done = new CountdownEvent(count);
        for (int i = 0; i < count; i++)
        {
            int index = i;
            _go[i] = new SemaphoreSlim(0);
            _threads[i] = new Thread(() => Serve(index)) { IsBackground = true, Name = $"pinned-{i}" };
            _threads[i].Start();
        }

        _done.Wait();
    }

    /// <summary>Whether every worker is bound to its own processor.</summary>
    public bool Bound => Volatile.Read(ref _bound) == _threads.Length;

    /// <summary>Seconds for loop i, on worker i, to make <paramref name="updates"/> updates, every loop at once.</summary>
    public double Time(int updates, params Action<int>[] loops)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(loops.Length, _threads.Length);
        _loops = loops;
        _updates = updates;
        _done.Reset(loops.Length);
        for (int i = 0; i < loops.Length; i++)
        {
            _go[i].Release(); // a full fence: the worker sees the loops and the count
        }

        _done.Wait();
        long start = long.MaxValue;
        long end = long.MinValue;
        for (int i = 0; i < loops.Length; i++)
        {
            start = Math.Min(start, _starts[i]);
            end = Math.Max(end, _ends[i]);
        }

        return Stopwatch.GetElapsedTime(start, end).TotalSeconds;
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (SemaphoreSlim go in _go)
        {
            go.Release();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        foreach (SemaphoreSlim go in _go)
        {
            go.Dispose();
        }

        _done.Dispose();
    }

    private void Serve(int index)
    {
        if (ProcessorAffinity.TryBind(index))
        {
            Interlocked.Increment(ref _bound);
        }

        _done.Signal();
        while (true)
        {
            _go[index].Wait();
            if (_stopping)
            {
                return;
            }

            Action<int> loop = _loops[index];
            _starts[index] = Stopwatch.GetTimestamp();
            loop(_updates);
            _ends[index] = Stopwatch.GetTimestamp();
            _done.Signal();
        }
    }
}
