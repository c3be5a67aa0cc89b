using System.ComponentModel;

namespace Fitten.Client;

/// <summary>Implemented by generated clients so that <see cref="FittenClients.WithCallOptions{TContract}"/> can bind options to them.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IFittenClient
{
    /// <summary>The options every call through this client starts from.</summary>
    CallOptions CallOptions { get; }

    /// <summary>A client of the same service and invoker whose calls start from <paramref name="options"/>.</summary>
    object WithCallOptions(CallOptions options);
}
