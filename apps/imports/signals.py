from django.dispatch import Signal

import_applied = Signal()
