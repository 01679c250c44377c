package io.trainserve.service.security;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Spring Security in front of everything: stateless bearer keys (no sessions, no cookies, so no CSRF
 * surface), the path → role rules of {@link AccessRules}, per-key rate limits, CORS closed unless
 * origins are configured. {@code trainserve.security.enabled=false} lets every request through.
 */
@Configuration
@EnableWebSecurity
@EnableScheduling
@EnableConfigurationProperties(SecuritySettings.class)
class SecurityConfig {
    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecuritySettings settings, KeyAuthenticator authenticator,
                                            KeyEntryPoint entryPoint, RoleDeniedHandler denied, ProblemWriter problems) {
        http.csrf(c -> c.disable()).formLogin(f -> f.disable()).httpBasic(b -> b.disable()).logout(l -> l.disable())
                .requestCache(r -> r.disable()).sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        cors(http, settings.cors().allowedOrigins());
        if (!settings.enabled()) {
            log.warn("""

                    *****************************************************************************
                    * SECURITY IS DISABLED (trainserve.security.enabled=false): anyone who can   *
                    * reach this port can upload, train, delete and read everything. Use this   *
                    * for local experiments only.                                               *
                    *****************************************************************************""");
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
            return http.build();
        }
        AuthenticationFilter keys = new AuthenticationFilter(new ProviderManager(authenticator), BearerKey.CONVERTER);
        keys.setSuccessHandler((request, response, authentication) -> { });
        keys.setFailureHandler(new AuthenticationEntryPointFailureHandler(entryPoint));
        keys.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
        http.addFilterBefore(keys, AnonymousAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(settings.rateLimit(), problems), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
                .authorizeHttpRequests(AccessRules::apply);
        return http.build();
    }

    /**
     * No observations of Spring Security's own: they wrap each of its ~12 filters in a timer and a scope of its
     * own on every request, ~10 % of a single-row predict's CPU (bench/serving/NOTES.md), while
     * {@code http.server.requests} already times each request.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's firewall refuses requests it finds unsafe (control or non-ASCII bytes in a header,
     * encoded slashes, ...) before any controller; by default that is a 500. It is the client's input: a 400
     * problem that says what was refused.
     */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, rejected) -> problems.write(response, org.springframework.http.HttpStatus.BAD_REQUEST, "invalid-request",
                "Invalid request", "the request was refused: it holds characters or sequences that are not allowed in a URL or a header",
                java.util.Map.of());
    }

    private static void cors(HttpSecurity http, List<String> origins) {
        if (origins.isEmpty()) {
            http.cors(c -> c.disable());
            return;
        }
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(origins);
        config.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
        config.setAllowedHeaders(List.of("Authorization", "Content-Type"));
        config.setExposedHeaders(List.of("Location", "Retry-After", "WWW-Authenticate"));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        http.cors(c -> c.configurationSource(source));
    }
}
