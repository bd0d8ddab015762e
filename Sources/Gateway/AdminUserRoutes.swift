import Contracts
import Hummingbird
import ServerKit

/// `/api/v1/admin/users`: operators create accounts.
struct AdminUserRoutes: Sendable {
    let auth: any AuthAPI

    func register(on router: SecureRouter) {
        router.post("/api/v1/admin/users", access: .permission(.usersManage), class: .api) { request, context in
            let body = try await request.decodeJSON(CreateUserBody.self, context: context)
            let profile = try await auth.createUser(email: body.email, password: body.password, role: body.role, locale: body.locale ?? "ru")
            var response = try profile.response(from: request, context: context)
            response.status = .created
            return response
        }
        router.get("/api/v1/admin/users/{id}", access: .permission(.usersRead), class: .api) { _, context in
            try await auth.profile(userID: try context.parameters.require("id"))
        }
    }
}
