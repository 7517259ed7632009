using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Aria.Metrics.Server;

/// <summary>
/// Closes a connection that has not delivered a whole request within a deadline of being accepted. Kestrel times a
/// connection that has sent nothing yet with its keep-alive timeout, which must outlast Prometheus' scrape interval
/// (minutes) so that Prometheus keeps its connection between scrapes; without this, a socket that connects and says
/// nothing would hold a connection slot for that long. Once a request has arrived, Kestrel's own timeouts apply.
/// Checked on Kestrel's heartbeat (once a second), so a connection is closed within a second of its deadline.
/// </summary>
internal sealed class FirstRequestDeadline
{
    private readonly ConnectionContext _connection;
    private readonly long _deadline;
    private int _state;

    private FirstRequestDeadline(ConnectionContext connection, TimeSpan timeout)
    {
        _connection = connection;
        _deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    // Waiting for the first request, then either of the two ends; neither leads anywhere else.
    private enum State
    {
        Waiting,
        RequestArrived,
        Closed,
    }

    /// <summary>Adds the deadline to every connection of <paramref name="listen"/>.</summary>
    public static void Install(ListenOptions listen, TimeSpan timeout) =>
        listen.Use(next => connection =>
        {
            IConnectionHeartbeatFeature heartbeat = connection.Features.Get<IConnectionHeartbeatFeature>()
                ?? throw Errors.NoConnectionHeartbeat();
            var deadline = new FirstRequestDeadline(connection, timeout);
            connection.Features.Set(deadline);
            heartbeat.OnHeartbeat(static state => ((FirstRequestDeadline)state).Check(), deadline);
            return next(connection);
        });

    /// <summary>Tells the connection of a request, through its features, that a whole request arrived.</summary>
    public static void RequestArrived(IFeatureCollection requestFeatures)
    {
        FirstRequestDeadline? deadline = requestFeatures.Get<FirstRequestDeadline>();
        if (deadline is not null && Volatile.Read(ref deadline._state) == (int)State.Waiting)
        {
            Interlocked.CompareExchange(ref deadline._state, (int)State.RequestArrived, (int)State.Waiting);
        }
    }

    private void Check()
    {
        if (Volatile.Read(ref _state) == (int)State.Waiting
            && Stopwatch.GetTimestamp() >= _deadline
            && Interlocked.CompareExchange(ref _state, (int)State.Closed, (int)State.Waiting) == (int)State.Waiting)
        {
            _connection.Abort(Errors.NoRequestInTime());
        }
    }
}
