from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Hub"

    def ready(self):
        # The project wires the apps together: accounts' data export includes the
        # quiz attempts without accounts knowing about quizzes.
        from accounts import personal_data
        from quizzes.personal_data import quiz_attempts

        personal_data.register("quiz_attempts", quiz_attempts)
