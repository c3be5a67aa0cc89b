using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Contracts;

/// <summary>
/// JSON metadata for everything the shop's contracts carry, generated at compile time so HTTP/JSON (and the JSON
/// RPC codec) need no reflection and work under Native AOT. Each host puts it first in ASP.NET Core's HTTP JSON
/// options (see <c>ShopHost</c>). Web defaults (camelCase) so that is what it also writes when used on its own.
/// Parameter types that appear in no DTO (the order id alone, the amount) are listed too, because each
/// parameter is read and written through these options by itself.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PlaceOrder))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Product))]
[JsonSerializable(typeof(IReadOnlyList<Product>))]
[JsonSerializable(typeof(IReadOnlyList<OrderLine>))]
[JsonSerializable(typeof(Reservation))]
[JsonSerializable(typeof(Payment))]
[JsonSerializable(typeof(IReadOnlyList<Payment>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
public sealed partial class ShopJsonContext : JsonSerializerContext;
