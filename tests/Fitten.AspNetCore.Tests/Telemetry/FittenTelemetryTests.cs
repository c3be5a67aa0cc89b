using System.Diagnostics;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Fitten.AspNetCore.Tests.Telemetry;

/// <summary>Spans and metrics as an OpenTelemetry SDK (in-memory exporter) receives them from a real call.</summary>
public class FittenTelemetryTests
{
    [Fact]
    public async Task Invoke_WithTracing_ServerSpanIsChildOfClientSpan_WithRpcAttributes()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(FittenTelemetry.SourceName)
            .AddInMemoryExporter(spans)
            .Build();
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        using var parent = StartSampledRoot();
        await channel.InvokeAsync(TestMethods.Echo, [1, 2, 3]);
        parent.Stop();
        tracing!.ForceFlush();

        var mine = spans.Where(s => s.TraceId == parent.TraceId).ToList();
        var client = Assert.Single(mine, s => s.Kind == ActivityKind.Client);
        var server_ = Assert.Single(mine, s => s.Kind == ActivityKind.Server);
        Assert.Equal(parent.SpanId, client.ParentSpanId);
        Assert.Equal(client.SpanId, server_.ParentSpanId);
        Assert.Equal("test.echo/Echo", client.DisplayName);
        foreach (var span in new[] { client, server_ })
        {
            Assert.Equal("fitten", span.GetTagItem("rpc.system"));
            Assert.Equal("test.echo", span.GetTagItem("rpc.service"));
            Assert.Equal("Echo", span.GetTagItem("rpc.method"));
            Assert.Equal("OK", span.GetTagItem("rpc.response.status_code"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }

        Assert.Equal(server.Address.Port, client.GetTagItem("server.port"));
    }

    [Fact]
    public async Task Invoke_FailingCall_SpansCarryErrorStatus()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(FittenTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        using var parent = StartSampledRoot();
        await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Fail, "NotFound").AsTask());
        parent.Stop();
        tracing!.ForceFlush();

        var mine = spans.Where(s => s.TraceId == parent.TraceId).ToList();
        Assert.Equal(2, mine.Count);
        Assert.All(mine, s =>
        {
            Assert.Equal(ActivityStatusCode.Error, s.Status);
            Assert.Equal("NOT_FOUND", s.GetTagItem("rpc.response.status_code"));
        });
    }

    [Fact]
    public async Task Invoke_WithMetrics_RecordsDurationsInSecondsAndConnections()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter(FittenTelemetry.MeterName)
            .AddInMemoryExporter(metrics)
            .Build();
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        for (int i = 0; i < 5; i++)
        {
            await channel.InvokeAsync(TestMethods.Echo, [1]);
        }

        await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Fail, "Unavailable").AsTask());
        meters!.ForceFlush();

        foreach (var name in new[] { "rpc.client.call.duration", "rpc.server.call.duration" })
        {
            var metric = metrics.Last(m => m.Name == name);
            Assert.Equal("s", metric.Unit);
            var points = Points(metric);
            var ok = Assert.Single(points, p => Tag(p, "rpc.method") == "Echo" && Tag(p, "rpc.response.status_code") == "OK");
            Assert.Equal("fitten", Tag(ok, "rpc.system"));
            Assert.Equal("test.echo", Tag(ok, "rpc.service"));
            Assert.True(ok.GetHistogramCount() >= 5);
            Assert.InRange(ok.GetHistogramSum() / ok.GetHistogramCount(), 0, 5);
            Assert.Single(points, p => Tag(p, "rpc.method") == "Fail" && Tag(p, "rpc.response.status_code") == "UNAVAILABLE");
        }

        // Up-down counters are process-wide and other test classes open and close connections in parallel, so
        // only their presence is checked here, not their values.
        Assert.Contains(metrics, m => m.Name == "fitten.rpc.server.open_connections");
        Assert.Contains(metrics, m => m.Name == "fitten.rpc.client.open_connections");
        Assert.Contains(metrics, m => m.Name == "fitten.rpc.server.active_calls");
        Assert.Contains(metrics, m => m.Name == "fitten.rpc.client.active_calls");
    }

    /// <summary>A sampled root span, so the SDK's parent-based sampler records the call's spans under it.</summary>
    private static Activity StartSampledRoot()
    {
        var root = new Activity("test-root") { ActivityTraceFlags = ActivityTraceFlags.Recorded };
        root.SetIdFormat(ActivityIdFormat.W3C);
        return root.Start();
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
