using System.Diagnostics;
using Aria.Metrics.Catalog;

namespace Aria.Metrics.Demo;

/// <summary>
/// A stand-in for the Aria engine: all five layers at work through the catalog's helpers, so that every family of the
/// catalog has live series within seconds of start. Gateway workers take requests (some fail); each request routes to
/// an agent, calls a model behind a circuit breaker, may run a skill and queries the database; sessions open and close;
/// the scheduler runs its jobs. Failures follow fixed patterns as well as chance, so the first of each kind comes early.
/// Each request runs inside an <see cref="Activity"/> (W3C trace ids), and its model call and skill in child activities,
/// so that the catalog's counters and latency histograms record exemplars that point at them.
/// </summary>
internal static class EngineSimulation
{
    private const int GatewayWorkers = 3;
    private const int PoolSize = 20;
    private const string FlakyModel = "qwen3-local";

    private static readonly string[] Methods = ["chat", "stream", "tool_call"];
    private static readonly string[] Agents = ["aria", "researcher", "coder", "analyst"];
    private static readonly string[] Skills = ["web_search", "code_exec", "memory_recall", "file_read"];
    private static readonly string[] DbOperations = ["select", "insert", "update", "delete"];
    private static readonly string[] Jobs = ["heartbeat", "memory_consolidation", "pheromone_decay", "session_cleanup", "backup"];

    // The price per million input and output tokens; the local model costs nothing but is priced, so it has a cost series.
    // The local model also has an outage of five seconds in every thirty, from the third second on: its circuit breaker
    // opens, half-opens and closes again within the first fifteen seconds.
    private static readonly (string Model, double Input, double Output, bool Thinks, double FailureRate)[] Models =
    [
        ("claude-sonnet-4", 3.00, 15.00, true, 0.04),
        ("gpt-4o", 2.50, 10.00, false, 0.04),
        ("qwen3-local", 0, 0, true, 0.10),
    ];

    /// <summary>Runs the simulation until <paramref name="cancellationToken"/> is cancelled, then completes normally.</summary>
    public static Task RunAsync(AriaMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var engine = new Engine(metrics);
        var loops = new List<Task>
        {
            engine.SessionsAsync(cancellationToken),
            engine.SchedulerAsync(cancellationToken),
        };
        for (int worker = 0; worker < GatewayWorkers; worker++)
        {
            loops.Add(engine.GatewayAsync(worker, cancellationToken));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>Waits, or returns false once the simulation is being stopped.</summary>
    private static async Task<bool> PauseAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts an activity whatever listens: an <see cref="ActivitySource"/> makes none without a listener, and the demo has
    /// no tracing backend. A child of the current activity when there is one.
    /// </summary>
    private static Activity StartActivity(string name) => new Activity(name).SetIdFormat(ActivityIdFormat.W3C).Start();

    private static TimeSpan Milliseconds(double min, double max) => TimeSpan.FromMilliseconds(min + (Random.Shared.NextDouble() * (max - min)));

    private static T Pick<T>(T[] items) => items[Random.Shared.Next(items.Length)];

    private static bool Chance(double probability) => Random.Shared.NextDouble() < probability;

    /// <summary>The engine's shared state: pheromone trails, circuit breakers, the connection pool, open sessions.</summary>
    private sealed class Engine
    {
        private const double Evaporation = 0.05;

        private readonly AriaMetrics _metrics;
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly Lock _gate = new();
        private readonly Dictionary<string, double> _pheromones = [];
        private readonly Dictionary<string, Breaker> _breakers = [];
        private readonly List<(long Opened, TimeSpan Simulated)> _sessions = [];
        private int _busyAgents;
        private int _connectionsInUse;
        private long _requests;
        private long _llmCalls;

        public Engine(AriaMetrics metrics)
        {
            _metrics = metrics;
            foreach ((string model, double input, double output, _, _) in Models)
            {
                metrics.LlmPrices.Set(model, input, output);
                metrics.SetCircuitBreakerState(model, CircuitBreakerState.Closed);
                _breakers[model] = new Breaker();
            }

            foreach (string agent in Agents)
            {
                _pheromones[agent] = 1.0;
                metrics.SetPheromoneScore(agent, 1.0);
            }

            metrics.SetActiveAgents(0);
            metrics.SetDbPool(PoolSize, PoolSize);
        }

        /// <summary>A gateway worker: one request after another, a short pause between them.</summary>
        public async Task GatewayAsync(int worker, CancellationToken cancellationToken)
        {
            do
            {
                string method = Methods[(worker + (int)(Interlocked.Read(ref _requests) % Methods.Length)) % Methods.Length];
                try
                {
                    // The metrics record exemplars from the current activity: a request is a trace of its own.
                    using Activity request = StartActivity("aria.request");
                    await _metrics.TrackRequestAsync(method, HandleRequestAsync).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is TimeoutException or HttpRequestException or InvalidOperationException)
                {
                    // Counted by the tracking helper as a 500 and an error; a real gateway would answer the client here.
                }
            }
            while (await PauseAsync(Milliseconds(50, 400), cancellationToken).ConfigureAwait(false));
        }

        /// <summary>Sessions open at random, exchange messages and close after a while.</summary>
        public async Task SessionsAsync(CancellationToken cancellationToken)
        {
            do
            {
                lock (_gate)
                {
                    if (_sessions.Count < 3 || Chance(0.5))
                    {
                        // A session's simulated length, from a quick question to a working day.
                        TimeSpan simulated = TimeSpan.FromSeconds(Pick([45.0, 240, 540, 1500, 3300, 6000, 20000, 90000]) * (0.5 + Random.Shared.NextDouble()));
                        _sessions.Add((Stopwatch.GetTimestamp(), simulated));
                        _metrics.RecordSessionCreated();
                        _metrics.RecordSessionMessage("system");
                    }

                    // Sessions end after a few real seconds; they report the length they simulate.
                    for (int i = _sessions.Count - 1; i >= 0; i--)
                    {
                        if (Stopwatch.GetElapsedTime(_sessions[i].Opened) > TimeSpan.FromSeconds(3) && Chance(0.3))
                        {
                            _metrics.RecordSessionEnded(_sessions[i].Simulated);
                            _sessions.RemoveAt(i);
                        }
                    }
                }
            }
            while (await PauseAsync(Milliseconds(300, 900), cancellationToken).ConfigureAwait(false));
        }

        /// <summary>The scheduler: every job runs in turn; the backup job fails on its first run and now and then after.</summary>
        public async Task SchedulerAsync(CancellationToken cancellationToken)
        {
            _metrics.SetSchedulerJobs("active", Jobs.Length - 1);
            _metrics.SetSchedulerJobs("paused", 1);
            int run = 0;
            do
            {
                string job = Jobs[run % Jobs.Length];
                long started = Stopwatch.GetTimestamp();
                await Task.Delay(Milliseconds(5, 120), CancellationToken.None).ConfigureAwait(false);
                bool failed = job == "backup" && (run / Jobs.Length % 3 == 0 || Chance(0.2));
                if (failed)
                {
                    _metrics.RecordError(nameof(IOException), "scheduler");
                }
                else if (job == "pheromone_decay")
                {
                    Evaporate();
                }

                _metrics.RecordSchedulerRun(job, failed ? ExecutionStatus.Error : ExecutionStatus.Success, Stopwatch.GetElapsedTime(started));
                if (run % 20 == 19)
                {
                    // A job is paused or resumed now and then.
                    int paused = Random.Shared.Next(0, 3);
                    _metrics.SetSchedulerJobs("active", Jobs.Length - paused);
                    _metrics.SetSchedulerJobs("paused", paused);
                }

                run++;
            }
            while (await PauseAsync(Milliseconds(200, 700), cancellationToken).ConfigureAwait(false));
        }

        /// <summary>One request through the layers: route, call a model, maybe run a skill, query the database.</summary>
        private async Task HandleRequestAsync()
        {
            long request = Interlocked.Increment(ref _requests);
            _metrics.RecordSessionMessage("user");

            string agent = Route();
            _metrics.SetActiveAgents(Interlocked.Increment(ref _busyAgents));
            bool succeeded = false;
            try
            {
                await QueryAsync("select").ConfigureAwait(false);
                (string model, _, _, bool thinks, double failureRate) = Models[(int)(request % Models.Length)];
                int outputTokens = await CallModelAsync(model, thinks, failureRate).ConfigureAwait(false);
                _metrics.RecordSessionMessage("assistant");

                if (Chance(0.6))
                {
                    await RunSkillAsync(Skills[(int)(request % Skills.Length)]).ConfigureAwait(false);
                    _metrics.RecordSessionMessage("tool");
                }

                await QueryAsync(Chance(0.7) ? "insert" : Pick(DbOperations)).ConfigureAwait(false);

                // Every seventeenth request fails in the gateway itself, after the work was done.
                if (request % 17 == 5)
                {
                    throw new InvalidOperationException($"Simulated gateway failure after {outputTokens} tokens.");
                }

                succeeded = true;
            }
            finally
            {
                _metrics.RecordAgentTask(agent, succeeded ? ExecutionStatus.Success : ExecutionStatus.Error);
                _metrics.SetActiveAgents(Interlocked.Decrement(ref _busyAgents));
                Reinforce(agent, succeeded);
            }
        }

        /// <summary>Picks an agent with probability proportional to its pheromone trail.</summary>
        private string Route()
        {
            long started = Stopwatch.GetTimestamp();
            string selected;
            lock (_gate)
            {
                double total = _pheromones.Values.Sum();
                double ticket = Random.Shared.NextDouble() * total;
                selected = Agents[^1];
                foreach (string agent in Agents)
                {
                    ticket -= _pheromones[agent];
                    if (ticket <= 0)
                    {
                        selected = agent;
                        break;
                    }
                }
            }

            // The real router also scores the message; a few milliseconds of that are simulated on top.
            _metrics.RecordRouting(selected, Stopwatch.GetElapsedTime(started) + Milliseconds(0.2, 40));
            return selected;
        }

        /// <summary>Calls a model through its circuit breaker; returns the output tokens.</summary>
        private async Task<int> CallModelAsync(string model, bool thinks, double failureRate)
        {
            Breaker breaker = _breakers[model];
            CircuitBreakerState state = breaker.BeforeCall();
            _metrics.SetCircuitBreakerState(model, state);
            if (state == CircuitBreakerState.Open)
            {
                throw new InvalidOperationException($"The circuit breaker of {model} is open.");
            }

            long call = Interlocked.Increment(ref _llmCalls);
            using Activity span = StartActivity("aria.llm");
            try
            {
                int output = await _metrics.TrackLlmAsync(model, async () =>
                {
                    await Task.Delay(Milliseconds(60, 500), CancellationToken.None).ConfigureAwait(false);
                    if (call % 11 == 3 || InOutage(model) || Chance(failureRate))
                    {
                        throw Chance(0.6)
                            ? new TimeoutException($"{model} did not answer in time.")
                            : new HttpRequestException($"{model} answered 503.");
                    }

                    return Random.Shared.Next(40, 1_500);
                }).ConfigureAwait(false);

                _metrics.RecordLlmUsage(model, Random.Shared.Next(200, 8_000), output);
                if (thinks)
                {
                    _metrics.RecordLlmThinking(model, Milliseconds(300, 45_000));
                }

                _metrics.SetCircuitBreakerState(model, breaker.Succeeded());
                return output;
            }
            catch (Exception exception) when (exception is TimeoutException or HttpRequestException)
            {
                _metrics.SetCircuitBreakerState(model, breaker.Failed());
                throw;
            }
        }

        private bool InOutage(string model) =>
            model == FlakyModel && Stopwatch.GetElapsedTime(_started).TotalSeconds % 30 is >= 3 and < 8;

        private async Task RunSkillAsync(string skill)
        {
            using Activity span = StartActivity("aria.skill");
            long started = Stopwatch.GetTimestamp();
            await Task.Delay(Milliseconds(5, 300), CancellationToken.None).ConfigureAwait(false);
            bool failed = Chance(0.1);
            if (failed)
            {
                _metrics.RecordError(nameof(TimeoutException), "skill");
            }

            _metrics.RecordSkillExecution(skill, failed ? ExecutionStatus.Error : ExecutionStatus.Success, Stopwatch.GetElapsedTime(started));
        }

        private async Task QueryAsync(string operation)
        {
            _metrics.SetDbPool(PoolSize, PoolSize - Interlocked.Increment(ref _connectionsInUse));
            long started = Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(Milliseconds(0.5, 25), CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _metrics.RecordDbQuery(operation, Stopwatch.GetElapsedTime(started));
                _metrics.SetDbPool(PoolSize, PoolSize - Interlocked.Decrement(ref _connectionsInUse));
            }
        }

        /// <summary>A task's outcome lays pheromone on its agent's trail; a failure lays none.</summary>
        private void Reinforce(string agent, bool succeeded)
        {
            lock (_gate)
            {
                _pheromones[agent] = Math.Min(10, _pheromones[agent] + (succeeded ? 0.3 : 0));
                _metrics.SetPheromoneScore(agent, _pheromones[agent]);
            }
        }

        /// <summary>The scheduled decay: every trail loses a share, and none drops below a floor.</summary>
        private void Evaporate()
        {
            lock (_gate)
            {
                foreach (string agent in Agents)
                {
                    _pheromones[agent] = Math.Max(0.1, _pheromones[agent] * (1 - Evaporation));
                    _metrics.SetPheromoneScore(agent, _pheromones[agent]);
                }
            }
        }
    }

    /// <summary>
    /// A circuit breaker: opens after three failures in a row, lets a trial call through (half-open) after two seconds,
    /// and closes again when the trial succeeds.
    /// </summary>
    private sealed class Breaker
    {
        private static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(2);

        private readonly Lock _gate = new();
        private CircuitBreakerState _state;
        private int _failuresInARow;
        private long _openedAt;

        public CircuitBreakerState BeforeCall()
        {
            lock (_gate)
            {
                if (_state == CircuitBreakerState.Open && Stopwatch.GetElapsedTime(_openedAt) >= OpenFor)
                {
                    _state = CircuitBreakerState.HalfOpen;
                }

                return _state;
            }
        }

        public CircuitBreakerState Succeeded()
        {
            lock (_gate)
            {
                _failuresInARow = 0;
                _state = CircuitBreakerState.Closed;
                return _state;
            }
        }

        public CircuitBreakerState Failed()
        {
            lock (_gate)
            {
                _failuresInARow++;
                if (_state == CircuitBreakerState.HalfOpen || _failuresInARow >= 3)
                {
                    _state = CircuitBreakerState.Open;
                    _openedAt = Stopwatch.GetTimestamp();
                }

                return _state;
            }
        }
    }
}
