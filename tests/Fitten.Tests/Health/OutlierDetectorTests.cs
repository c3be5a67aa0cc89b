using Fitten.Health;
using Fitten.Tests.LoadBalancing;

namespace Fitten.Tests.Health;

public class OutlierDetectorTests
{
    private const long Now = 1_000_000;

    [Fact]
    public void OnFailure_ConsecutiveServerFailures_EjectsAtThreshold()
    {
        var endpoints = Endpoints.Equal(3);
        var detector = new OutlierDetector(new OutlierDetectionOptions { ConsecutiveFailures = 3 });

        Assert.False(detector.OnFailure(endpoints[0], StatusCode.Internal, notProcessed: false, connectFailed: false, endpoints, Now));
        Assert.False(detector.OnFailure(endpoints[0], StatusCode.Unavailable, notProcessed: false, connectFailed: false, endpoints, Now));
        Assert.True(detector.OnFailure(endpoints[0], StatusCode.Internal, notProcessed: false, connectFailed: false, endpoints, Now));
        Assert.True(endpoints[0].IsEjectedAt(Now + 29_999));
        Assert.False(endpoints[0].IsEjectedAt(Now + 30_000));
    }

    [Fact]
    public void OnSuccess_BetweenFailures_ResetsTheCount()
    {
        var endpoints = Endpoints.Equal(3);
        var detector = new OutlierDetector(new OutlierDetectionOptions { ConsecutiveFailures = 2 });

        detector.OnFailure(endpoints[0], StatusCode.Internal, notProcessed: false, connectFailed: false, endpoints, Now);
        detector.OnSuccess(endpoints[0]);

        Assert.False(detector.OnFailure(endpoints[0], StatusCode.Internal, notProcessed: false, connectFailed: false, endpoints, Now));
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.Cancelled)]
    public void OnFailure_ApplicationStatus_NeverEjects(StatusCode code)
    {
        var endpoints = Endpoints.Equal(3);
        var detector = new OutlierDetector(new OutlierDetectionOptions { ConsecutiveFailures = 1 });

        Assert.False(detector.OnFailure(endpoints[0], code, notProcessed: false, connectFailed: false, endpoints, Now));
    }

    [Fact]
    public void OnFailure_TimedOutOnTheInstance_Counts_TimedOutBeforeSending_DoesNot()
    {
        var endpoints = Endpoints.Equal(3);
        var detector = new OutlierDetector(new OutlierDetectionOptions { ConsecutiveFailures = 1 });

        Assert.False(detector.OnFailure(endpoints[0], StatusCode.DeadlineExceeded, notProcessed: true, connectFailed: false, endpoints, Now));
        Assert.True(detector.OnFailure(endpoints[0], StatusCode.DeadlineExceeded, notProcessed: false, connectFailed: false, endpoints, Now));
    }

    [Fact]
    public void OnFailure_ConnectRefused_EjectsAtOnce()
    {
        var endpoints = Endpoints.Equal(2);
        var detector = new OutlierDetector(new OutlierDetectionOptions());

        Assert.True(detector.OnFailure(endpoints[1], StatusCode.Unavailable, notProcessed: false, connectFailed: true, endpoints, Now));
    }

    [Theory]
    [InlineData(1, 50, 0)]
    [InlineData(2, 50, 1)]
    [InlineData(3, 50, 1)]
    [InlineData(5, 50, 2)]
    [InlineData(10, 30, 3)]
    [InlineData(4, 100, 4)]
    [InlineData(4, 0, 0)]
    public void OnFailure_AllRefuse_EjectsAtMostTheShare(int count, int percent, int expected)
    {
        var endpoints = Endpoints.Equal(count);
        var detector = new OutlierDetector(new OutlierDetectionOptions { MaxEjectionPercent = percent });

        foreach (var endpoint in endpoints)
        {
            detector.OnFailure(endpoint, StatusCode.Unavailable, notProcessed: false, connectFailed: true, endpoints, Now);
        }

        Assert.Equal(expected, endpoints.Count(e => e.IsEjectedAt(Now)));
    }

    [Fact]
    public void OnFailure_EjectedAgain_StaysOutLongerUpToTheMaximum()
    {
        var endpoints = Endpoints.Equal(2);
        var detector = TenToTwentyFiveSeconds();
        long now = Now;
        long[] lengths = new long[3];
        for (int i = 0; i < lengths.Length; i++)
        {
            detector.OnFailure(endpoints[0], StatusCode.Unavailable, notProcessed: false, connectFailed: true, endpoints, now);
            lengths[i] = endpoints[0].EjectedUntil - now;
            now = endpoints[0].EjectedUntil;
        }

        Assert.Equal([10_000L, 20_000L, 25_000L], lengths);
    }

    [Fact]
    public void OnFailure_LongHealthySinceLastEjection_StartsOver()
    {
        var endpoints = Endpoints.Equal(2);
        var detector = TenToTwentyFiveSeconds();
        detector.OnFailure(endpoints[0], StatusCode.Unavailable, notProcessed: false, connectFailed: true, endpoints, Now);
        long later = endpoints[0].EjectedUntil + 26_000;

        detector.OnFailure(endpoints[0], StatusCode.Unavailable, notProcessed: false, connectFailed: true, endpoints, later);

        Assert.Equal(10_000, endpoints[0].EjectedUntil - later);
    }

    [Fact]
    public void OnFailure_Disabled_NeverEjects()
    {
        var endpoints = Endpoints.Equal(2);
        var detector = new OutlierDetector(new OutlierDetectionOptions { Enabled = false });

        Assert.False(detector.OnFailure(endpoints[0], StatusCode.Unavailable, notProcessed: false, connectFailed: true, endpoints, Now));
    }

    [Fact]
    public void OnSuccess_FirstAfterEjectionEnded_ReportsTheReturnOnce()
    {
        var endpoints = Endpoints.Equal(2);
        var detector = TenToTwentyFiveSeconds();

        // OnSuccess reads the real clock: an ejection that began a minute ago (10 s long) has ended.
        detector.OnFailure(endpoints[0], StatusCode.Unavailable, notProcessed: false, connectFailed: true, endpoints, Environment.TickCount64 - 60_000);

        Assert.True(detector.OnSuccess(endpoints[0]));
        Assert.False(detector.OnSuccess(endpoints[0]));
    }

    [Fact]
    public void OnSuccess_StillEjected_IsNoReturnYet()
    {
        var endpoints = Endpoints.Equal(2);
        var detector = TenToTwentyFiveSeconds();
        detector.OnFailure(endpoints[0], StatusCode.Unavailable, notProcessed: false, connectFailed: true, endpoints, Environment.TickCount64);

        // A panic-mode pick succeeding while the ejection lasts does not end it.
        Assert.False(detector.OnSuccess(endpoints[0]));
        Assert.False(detector.OnSuccess(endpoints[1]));
    }

    private static OutlierDetector TenToTwentyFiveSeconds() => new(new OutlierDetectionOptions
    {
        BaseEjectionTime = TimeSpan.FromSeconds(10),
        MaxEjectionTime = TimeSpan.FromSeconds(25),
    });
}
