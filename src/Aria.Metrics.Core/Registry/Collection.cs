using System.Diagnostics;

namespace Aria.Metrics;

/// <summary>
/// One run of the collect callbacks, shared by every scrape that arrives while it is in flight, with a deadline: the
/// deadline of the scrape that started it. The callbacks run one after another on one of the
/// <see cref="CollectionThreads"/>, never on a scrape's own thread, so that a scrape can stop waiting. When no callback
/// has returned for a quarter of the collection's time (one is hung or very slow), the <see cref="CollectionWatchdog"/>
/// hands the callbacks not yet started to another of those threads, so that a hung callback keeps the others from
/// running for one stall at most and holds one thread.
/// </summary>
internal sealed class Collection
{
    // What became of each callback in this collection.
    private const int Pending = 0;
    private const int Running = 1;
    private const int Returned = 2;
    private const int LeftOut = 3;

    // Task.WaitAsync takes at most about 49 days; an infinite deadline is waited in slices of this.
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private readonly MetricRegistry _registry;
    private readonly CollectCallback[] _callbacks;
    private readonly int[] _states;
    private readonly long _deadline;
    private readonly long _stallTicks;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The next callback to claim; a worker claims by incrementing it. Past the end once the deadline has passed.
    private int _next;
    private int _unfinished;
    private long _lastProgress;
    private int _leftOut;
    private int _lateReported;
    private int _waiting;

    public Collection(MetricRegistry registry, CollectCallback[] callbacks, long start, long deadline)
    {
        _registry = registry;
        _callbacks = callbacks;
        _states = new int[callbacks.Length];
        _unfinished = callbacks.Length;
        _deadline = deadline;
        _lastProgress = start;
        _stallTicks = Math.Max((deadline - start) / 4, 1);
    }

    /// <summary>How a scrape's wait for a collection ended.</summary>
    public enum Outcome
    {
        /// <summary>Every callback returned in time.</summary>
        Complete,

        /// <summary>The collection ended, or the scrape's deadline came, with some callback left out.</summary>
        Incomplete,

        /// <summary>The collection's deadline came before the scrape's: a newer collection may still serve it.</summary>
        Expired,
    }

    /// <summary>How many scrapes are waiting for this collection.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Whether a scrape that arrives now may share this collection: it is running and within its deadline.</summary>
    public bool IsOpen(long now) => !_finished.Task.IsCompleted && now < _deadline;

    public void Start()
    {
        if (_callbacks.Length == 0)
        {
            _finished.TrySetResult();
            return;
        }

        CollectionThreads.Run(this);
        if (_callbacks.Length > 1)
        {
            CollectionWatchdog.Watch(this);
        }
    }

    /// <summary>Waits for the collection until it ends or <paramref name="scrapeDeadline"/> (a Stopwatch timestamp) comes.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<Outcome> WaitAsync(long scrapeDeadline, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            while (true)
            {
                if (_finished.Task.IsCompleted)
                {
                    return Volatile.Read(ref _leftOut) == 0 ? Outcome.Complete : Outcome.Incomplete;
                }

                long now = Stopwatch.GetTimestamp();
                long until = Math.Min(scrapeDeadline, _deadline);
                if (now >= until)
                {
                    return GiveUp(now, scrapeDeadline);
                }

                TimeSpan wait = Stopwatch.GetElapsedTime(now, until);
                if (wait > LongestWait)
                {
                    wait = LongestWait;
                }

                await _finished.Task.WaitAsync(wait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>
    /// Runs the callbacks not yet claimed, one after another, on the calling thread. Returns true when this call
    /// finished the collection's last callback: the caller then calls <see cref="Finish"/>, once it is ready for more
    /// work, so that a scrape that follows at once finds it waiting rather than start another thread.
    /// </summary>
    public bool RunCallbacks()
    {
        bool finishedLast = false;
        int index;
        while ((index = Interlocked.Increment(ref _next) - 1) < _callbacks.Length)
        {
            Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
            Volatile.Write(ref _states[index], Running);
            CollectCallback callback = _callbacks[index];
            if (callback.TryRun(_registry))
            {
                Volatile.Write(ref _states[index], Returned);
            }
            else
            {
                // Still running since an earlier scrape: this one goes without it rather than give it another thread.
                Volatile.Write(ref _states[index], LeftOut);
                Interlocked.Increment(ref _leftOut);
                _registry.OnCollectCallbackTimedOut(callback, callback.RunningFor(Stopwatch.GetTimestamp()));
            }

            Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
            if (Interlocked.Decrement(ref _unfinished) == 0)
            {
                finishedLast = true;
            }
        }

        return finishedLast;
    }

    /// <summary>Ends the collection for the scrapes waiting on it; called by the thread that finished its last callback.</summary>
    public void Finish() => _finished.TrySetResult();

    private Outcome GiveUp(long now, long scrapeDeadline)
    {
        bool expired = now >= _deadline;
        if (expired)
        {
            // Nothing more is started for a collection nobody may join; the next scrape starts a fresh one.
            Volatile.Write(ref _next, _callbacks.Length);
        }

        // Counted once per collection, by the first scrape served without them, before it writes its body.
        if (Interlocked.Exchange(ref _lateReported, 1) == 0)
        {
            for (int i = 0; i < _callbacks.Length; i++)
            {
                if (Volatile.Read(ref _states[i]) is Pending or Running)
                {
                    _registry.OnCollectCallbackTimedOut(_callbacks[i], _callbacks[i].RunningFor(now));
                }
            }
        }

        return expired && now < scrapeDeadline ? Outcome.Expired : Outcome.Incomplete;
    }

    /// <summary>
    /// Called by the watchdog: hands the callbacks not yet started to a new thread when none has returned for a stall's
    /// time. Returns when to look again, or <see cref="long.MaxValue"/> once there is nothing left to hand off.
    /// </summary>
    public long HandOffIfStalled(long now)
    {
        if (Volatile.Read(ref _next) >= _callbacks.Length || _finished.Task.IsCompleted || now >= _deadline)
        {
            return long.MaxValue;
        }

        long last = Volatile.Read(ref _lastProgress);
        if (now - last < _stallTicks)
        {
            return last + _stallTicks;
        }

        Volatile.Write(ref _lastProgress, now);
        CollectionThreads.Run(this);
        return now + _stallTicks;
    }
}
