using System.Runtime.CompilerServices;
using MemoryPack;
using MemoryPack.Formatters;

namespace Shop.Contracts;

/// <summary>
/// MemoryPack formatters for the collections the contracts pass as whole parameters or results. MemoryPack makes
/// those on first use by reflection (MakeGenericType, then a constructor the trimmer removed), which fails under
/// Native AOT; registering them here, in code, keeps the published binary working. Members of [MemoryPackable]
/// records need none of this. See docs/contracts.md (Native AOT).
/// </summary>
internal static class ShopFormatters
{
    [ModuleInitializer]
    internal static void Register()
    {
        MemoryPackFormatterProvider.Register(new InterfaceReadOnlyListFormatter<Product>());
        MemoryPackFormatterProvider.Register(new InterfaceReadOnlyListFormatter<Payment>());
        MemoryPackFormatterProvider.Register(new InterfaceReadOnlyListFormatter<OrderLine>());
    }
}
