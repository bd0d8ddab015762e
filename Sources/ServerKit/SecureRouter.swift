import Contracts
import HTTPTypes
import Hummingbird

/// A method and path template, as routes are declared: `GET /api/v1/auth/sessions/{id}`.
public struct RouteKey: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The method.
    public var method: HTTPRequest.Method
    /// The path template, as `RouterPath` describes it (`{id}` for captures).
    public var path: String

    /// Creates a key.
    public init(method: HTTPRequest.Method, path: String) {
        self.method = method
        self.path = path
    }

    /// `METHOD /path`.
    public var description: String { "\(method.rawValue) \(path)" }

    /// Orders by path, then method.
    public static func < (lhs: RouteKey, rhs: RouteKey) -> Bool {
        (lhs.path, lhs.method.rawValue) < (rhs.path, rhs.method.rawValue)
    }
}

/// What a route declared when it was registered.
public struct RouteRule: Sendable, Hashable {
    /// Who may call it.
    public var access: RouteAccess
    /// Which rate-limit bucket it draws from.
    public var routeClass: RouteClass

    /// Creates a rule.
    public init(access: RouteAccess, routeClass: RouteClass) {
        self.access = access
        self.routeClass = routeClass
    }
}

/// Registers routes that cannot be registered without saying who may call them.
///
/// Both ``SecureRouter`` and its groups conform; `get`, `post`, `put`, `patch`, `delete` and `group` come free.
public protocol SecureRouteRegistrar {
    /// Adds a route at `path` (relative to the registrar's prefix) guarded by `access` and limited by `class`.
    @discardableResult
    func on<Output: ResponseGenerator>(
        _ path: RouterPath, method: HTTPRequest.Method, access: RouteAccess, class routeClass: RouteClass,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) -> Self
}

/// The only way LastMile registers routes: every route states its ``RouteAccess`` and ``RouteClass``.
///
/// Each handler is wrapped in ``RouteSecurity/check(_:context:access:routeClass:)`` — rate limit, access, CSRF —
/// and every declaration is kept in ``routeTable``, which ``verifyEveryRouteDeclaresAccess()`` compares with what
/// the underlying router really serves. Add middleware to ``router`` before registering routes: Hummingbird
/// applies router middleware only to routes added after it.
public final class SecureRouter: SecureRouteRegistrar {
    /// The Hummingbird router the routes end up on.
    public let router: Router<AppRequestContext>
    /// The checks run before each handler.
    public let security: RouteSecurity
    /// Every declared route.
    public private(set) var routeTable: [RouteKey: RouteRule] = [:]

    /// Wraps `router`.
    public init(router: Router<AppRequestContext>, security: RouteSecurity) {
        self.router = router
        self.security = security
    }

    /// Adds a route at `path` guarded by `access` and limited by `class`.
    @discardableResult
    public func on<Output: ResponseGenerator>(
        _ path: RouterPath, method: HTTPRequest.Method, access: RouteAccess, class routeClass: RouteClass,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) -> Self {
        routeTable[RouteKey(method: method, path: path.description)] = RouteRule(access: access, routeClass: routeClass)
        let security = security
        router.on(path, method: method) { request, context -> Response in
            let decision = try await security.check(request, context: context, access: access, routeClass: routeClass)
            guard let decision else {
                return try await handler(request, context).response(from: request, context: context)
            }
            do {
                var response = try await handler(request, context).response(from: request, context: context)
                decision.appendHeaders(to: &response.headers)
                return response
            } catch {
                guard var problem = Problem.mapping(error) else { throw error }
                problem.headers.append(contentsOf: decision.headers)
                throw problem
            }
        }
        return self
    }

    /// Routes the underlying router serves that were not declared through this router, as `METHOD /path`.
    ///
    /// A `HEAD` route is covered by the declared `GET` of the same path (Hummingbird generates those).
    public func verifyEveryRouteDeclaresAccess() -> [String] {
        let declared = Set(routeTable.keys.map { RouteKey(method: $0.method, path: $0.path.lowercased()) })
        var missing: [RouteKey] = []
        for route in router.routes {
            let key = RouteKey(method: route.method, path: route.path.description.lowercased())
            if declared.contains(key) { continue }
            if key.method == .head, declared.contains(RouteKey(method: .get, path: key.path)) { continue }
            missing.append(RouteKey(method: route.method, path: route.path.description))
        }
        return missing.sorted().map(\.description)
    }

    /// The route table as text lines `METHOD /path access class`, sorted, for documentation and review.
    public func describeRoutes() -> [String] {
        routeTable.keys.sorted().map { key in
            let rule = routeTable[key]!
            return "\(key) \(rule.access) \(rule.routeClass.rawValue)"
        }
    }
}

/// Routes under a common path prefix of a ``SecureRouter``.
public struct SecureRouteGroup: SecureRouteRegistrar {
    /// The router the routes are declared on.
    public let parent: SecureRouter
    /// The prefix of every path in the group.
    public let prefix: RouterPath

    /// Creates a group; ``SecureRouteRegistrar/group(_:)`` is the usual way.
    public init(parent: SecureRouter, prefix: RouterPath) {
        self.parent = parent
        self.prefix = prefix
    }

    /// Adds a route at `prefix/path`.
    @discardableResult
    public func on<Output: ResponseGenerator>(
        _ path: RouterPath, method: HTTPRequest.Method, access: RouteAccess, class routeClass: RouteClass,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) -> Self {
        parent.on(prefix.appendingPath(path), method: method, access: access, class: routeClass, handler: handler)
        return self
    }
}

extension SecureRouteRegistrar {
    /// Adds a `GET` route.
    @discardableResult
    public func get<Output: ResponseGenerator>(
        _ path: RouterPath, access: RouteAccess, class routeClass: RouteClass,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .get, access: access, class: routeClass, handler: handler)
    }

    /// Adds a `POST` route.
    @discardableResult
    public func post<Output: ResponseGenerator>(
        _ path: RouterPath, access: RouteAccess, class routeClass: RouteClass,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .post, access: access, class: routeClass, handler: handler)
    }

    /// Adds a `PUT` route.
    @discardableResult
    public func put<Output: ResponseGenerator>(
        _ path: RouterPath, access: RouteAccess, class routeClass: RouteClass,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .put, access: access, class: routeClass, handler: handler)
    }

    /// Adds a `PATCH` route.
    @discardableResult
    public func patch<Output: ResponseGenerator>(
        _ path: RouterPath, access: RouteAccess, class routeClass: RouteClass,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .patch, access: access, class: routeClass, handler: handler)
    }

    /// Adds a `DELETE` route.
    @discardableResult
    public func delete<Output: ResponseGenerator>(
        _ path: RouterPath, access: RouteAccess, class routeClass: RouteClass,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) -> Self {
        on(path, method: .delete, access: access, class: routeClass, handler: handler)
    }
}

extension SecureRouter {
    /// Routes under `prefix`.
    public func group(_ prefix: RouterPath) -> SecureRouteGroup {
        SecureRouteGroup(parent: self, prefix: prefix)
    }
}

extension SecureRouteGroup {
    /// Routes under `prefix/path`.
    public func group(_ path: RouterPath) -> SecureRouteGroup {
        SecureRouteGroup(parent: parent, prefix: prefix.appendingPath(path))
    }
}
