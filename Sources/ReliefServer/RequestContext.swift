import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the client's address, which the clinic's sign-in limits
/// count failures by. nil when there is no socket (the in-process router tests) or a Unix one.
public struct ReliefRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
