using Fitten;
using Shop.Contracts;

namespace Shop.Inventory;

/// <summary>
/// Stock in memory. One lock guards products and reservations together, so a reservation checks and takes every
/// line in one step (all or none) and two orders can never both take the last item.
/// </summary>
public sealed partial class InventoryService(ILogger<InventoryService> logger) : IInventoryService
{
    /// <summary>The most of one SKU a single order may ask for; a bigger number is a typo, not an order.</summary>
    public const int MaxQuantity = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Product> _products = Catalog.Seed().ToDictionary(p => p.Sku, StringComparer.Ordinal);
    private readonly Dictionary<long, Reservation> _reservations = [];

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<Product>>([.. _products.Values]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<Reservation> ReserveAsync(long orderId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken = default)
    {
        var wanted = SumBySku(lines);
        lock (_lock)
        {
            if (_reservations.TryGetValue(orderId, out var existing))
            {
                return ValueTask.FromResult(existing);
            }

            // Check every line before taking any, so a short line leaves the others untouched.
            decimal total = 0;
            foreach (var (sku, quantity) in wanted)
            {
                if (!_products.TryGetValue(sku, out var product))
                {
                    throw new RpcException(StatusCode.NotFound, $"No product with SKU '{sku}'.");
                }

                if (product.InStock < quantity)
                {
                    Log.OutOfStock(logger, orderId, sku, quantity, product.InStock);
                    throw new RpcException(StatusCode.FailedPrecondition, $"Out of stock: {quantity} x {sku} wanted, {product.InStock} left.");
                }

                total += product.Price * quantity;
            }

            foreach (var (sku, quantity) in wanted)
            {
                _products[sku] = _products[sku] with { InStock = _products[sku].InStock - quantity };
            }

            var reservation = new Reservation(orderId, lines, total);
            _reservations.Add(orderId, reservation);
            Log.Reserved(logger, orderId, lines.Count, total);
            return ValueTask.FromResult(reservation);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(long orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_reservations.Remove(orderId, out var reservation))
            {
                return ValueTask.FromResult(false);
            }

            foreach (var (sku, quantity) in SumBySku(reservation.Lines))
            {
                _products[sku] = _products[sku] with { InStock = _products[sku].InStock + quantity };
            }

            Log.Released(logger, orderId);
            return ValueTask.FromResult(true);
        }
    }

    /// <summary>Quantities per SKU (a SKU may appear on several lines); INVALID_ARGUMENT for lines no order could have.</summary>
    private static Dictionary<string, int> SumBySku(IReadOnlyList<OrderLine>? lines)
    {
        if (lines is not { Count: > 0 })
        {
            throw new RpcException(StatusCode.InvalidArgument, "A reservation needs at least one line.");
        }

        var wanted = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (string.IsNullOrEmpty(line?.Sku) || line.Quantity is < 1 or > MaxQuantity)
            {
                throw new RpcException(StatusCode.InvalidArgument, $"Each line needs a SKU and a quantity from 1 to {MaxQuantity}.");
            }

            wanted[line.Sku] = checked(wanted.GetValueOrDefault(line.Sku) + line.Quantity);
        }

        return wanted;
    }
}
