namespace Fitten.Generator.Tests;

/// <summary>One test per diagnostic id: each unsupported contract shape fails the build with a clear message.</summary>
public class DiagnosticsTests
{
    private static string Contract(string members, string name = "test.svc", string extra = "") => $$"""
        using System.Threading;
        using System.Threading.Tasks;
        using Fitten;
        namespace T;
        [FittenService("{{name}}")]
        public interface ISvc
        {
        {{members}}
        }
        public class Plain { public int X { get; set; } }
        {{extra}}
        """;

    private static void AssertSingle(string source, string id, string messagePart)
    {
        var diagnostics = GeneratorHarness.Diagnose(source);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.NotEqual(Microsoft.CodeAnalysis.Location.None, diagnostic.Location);
    }

    [Fact]
    public void GenericMethod_FIT001() => AssertSingle(Contract("ValueTask<int> GetAsync<T>(int id);"), "FIT001", "'GetAsync' is generic");

    [Fact]
    public void GenericMethodUsingItsTypeParameter_OnlyFIT001() => AssertSingle(Contract("ValueTask<T> EchoAsync<T>(T value);"), "FIT001", "'EchoAsync' is generic");

    [Fact]
    public void RefParameter_FIT002() => AssertSingle(Contract("ValueTask<int> GetAsync(ref int id);"), "FIT002", "Parameter 'id'");

    [Fact]
    public void OutParameter_FIT002() => AssertSingle(Contract("ValueTask<int> GetAsync(out int id);"), "FIT002", "Parameter 'id'");

    [Fact]
    public void Overload_FIT003() => AssertSingle(Contract("ValueTask<int> GetAsync(int id);\n ValueTask<int> GetAsync(string name);"), "FIT003", "'GetAsync' is declared more than once");

    [Fact]
    public void SynchronousReturn_FIT004() => AssertSingle(Contract("int Get(int id);"), "FIT004", "must return ValueTask");

    [Fact]
    public void CancellationTokenNotLast_FIT005() => AssertSingle(Contract("ValueTask<int> GetAsync(CancellationToken ct, int id);"), "FIT005", "'GetAsync'");

    [Fact]
    public void InvalidServiceName_FIT006() => AssertSingle(Contract("ValueTask<int> GetAsync(int id);", name: "shop orders"), "FIT006", "'shop orders'");

    [Fact]
    public void GenericInterface_FIT007()
        => AssertSingle("""
            using System.Threading.Tasks;
            using Fitten;
            namespace T;
            [FittenService("test.svc")]
            public interface ISvc<T> { ValueTask<int> GetAsync(int id); }
            """, "FIT007", "'ISvc'");

    [Fact]
    public void ParameterTypeNotEncodable_FIT008() => AssertSingle(Contract("ValueTask<int> SaveAsync(Plain value);"), "FIT008", "Parameter 'value' (T.Plain is not [MemoryPackable])");

    [Fact]
    public void ResultTypeNotEncodable_FIT008() => AssertSingle(Contract("Task<Plain> GetAsync(int id);"), "FIT008", "The result of 'GetAsync'");

    [Fact]
    public void NestedCollectionOfUnencodable_FIT008()
        => AssertSingle(Contract("ValueTask<int> SaveAsync(System.Collections.Generic.List<Plain> values);"), "FIT008", "T.Plain is not [MemoryPackable]");

    [Fact]
    public void Property_FIT009() => AssertSingle(Contract("int Count { get; }"), "FIT009", "'Count' is not a method");

    [Fact]
    public void InvalidMethodName_FIT010() => AssertSingle(Contract("ValueTask<int> Ünïcode();"), "FIT010", "'Ünïcode'");

    private const string Dto = "[MemoryPack.MemoryPackable] public partial class Dto { public int X { get; set; } }";

    [Fact]
    public void RouteNamesUnknownParameter_FIT011()
        => AssertSingle(Contract("[HttpGet(\"/orders/{orderId}\")] ValueTask<int> GetAsync(long id);"), "FIT011", "names '{orderId}', but the method has no parameter of that name");

    [Fact]
    public void RouteParameterOfComplexType_FIT012()
        => AssertSingle(Contract("[HttpPut(\"/items/{dto}\")] ValueTask<int> PutAsync(Dto dto);", extra: Dto), "FIT012", "Parameter 'dto' binds from the route");

    [Fact]
    public void ComplexParameterOnGet_FIT013()
        => AssertSingle(Contract("[HttpGet(\"/items\")] ValueTask<int> FindAsync(Dto filter);", extra: Dto), "FIT013", "GET /items cannot carry a request body, but 'filter'");

    [Fact]
    public void TwoBodyParameters_FIT013()
        => AssertSingle(Contract("[HttpPost(\"/items\")] ValueTask<int> AddAsync(Dto first, Dto second);", extra: Dto), "FIT013", "binds 'first', 'second' of 'AddAsync' from the body");

    [Theory]
    [InlineData("orders/{id}", "must start with '/'")]
    [InlineData("/orders/{id", "is never closed")]
    [InlineData("/orders/{}", "has no name")]
    [InlineData("/orders?id={id}", "no query string")]
    public void InvalidTemplate_FIT014(string template, string problem)
        => AssertSingle(Contract($"[HttpGet(\"{template}\")] ValueTask<int> GetAsync(long id);"), "FIT014", problem);

    [Fact]
    public void SameRouteOnTwoMethods_FIT015()
        => AssertSingle(Contract("[HttpGet(\"/orders/{id}\")] ValueTask<int> GetAsync(long id);\n [HttpGet(\"/orders/{key}\")] ValueTask<int> FindAsync(long key);"), "FIT015", "is also the route of 'GetAsync'");

    [Fact]
    public void TwoRoutesOnOneMethod_FIT015()
        => AssertSingle(Contract("[HttpGet(\"/a/{id}\"), HttpDelete(\"/b/{id}\")] ValueTask<int> GetAsync(long id);"), "FIT015", "has 2 HTTP route attributes");

    [Fact]
    public void NegativeTimeout_FIT016()
        => AssertSingle(Contract("[FittenMethod(TimeoutMilliseconds = -5)] ValueTask<int> GetAsync(long id);"), "FIT016", "'GetAsync'");

    [Fact]
    public void CustomWireNameInvalid_FIT010()
        => AssertSingle(Contract("[FittenMethod(Name = \"get item\")] ValueTask<int> GetAsync(long id);"), "FIT010", "'get item'");

    [Fact]
    public void ValidRoutes_NoDiagnostics()
        => Assert.Empty(GeneratorHarness.Diagnose(Contract("""
            [HttpGet("/orders/{id:long}")] ValueTask<int> GetAsync(long id, string? view, int? limit, System.DayOfWeek day = System.DayOfWeek.Monday, CancellationToken ct = default);
            [HttpPost("/orders/{id}/items")] ValueTask<int> AddAsync(long id, Dto item, bool notify = false);
            [HttpPut("/orders/{*path}")] Task PutAsync(string path, Dto body);
            [HttpDelete("/orders/{id}")] Task DeleteAsync(System.Guid id);
            """, extra: Dto)));

    [Fact]
    public void ValidContract_NoDiagnostics()
        => Assert.Empty(GeneratorHarness.Diagnose(Contract("ValueTask<int> GetAsync(int id, string? name, System.Guid key, CancellationToken ct = default);\n Task DoAsync();")));
}
