<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../../ui/screens/attract.py" line="85"/>
        <source>Welcome</source>
        <translation>Le damos la bienvenida</translation>
    </message>
</context>
<context>
    <name>ChecklistView</name>
    <message>
        <location filename="../../ui/screens/checklist.py" line="160"/>
        <source>Take this list home</source>
        <translation>Llevar la lista a casa</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="161"/>
        <source>Shows a code your phone camera can read</source>
        <translation>Muestra un código que la cámara de su teléfono puede leer</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="163"/>
        <source>Print the list</source>
        <translation>Imprimir la lista</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="164"/>
        <source>Tick at least one question to take the list home.</source>
        <translation>Marque al menos una pregunta para llevarse la lista.</translation>
    </message>
</context>
<context>
    <name>CrisisScreen</name>
    <message>
        <location filename="../../ui/screens/crisis.py" line="135"/>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <location filename="../../ui/screens/crisis.py" line="135"/>
        <source>Close crisis help</source>
        <translation>Cerrar la ayuda en crisis</translation>
    </message>
</context>
<context>
    <name>GlossaryCard</name>
    <message>
        <location filename="../../ui/screens/overlay.py" line="194"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="194"/>
        <source>Close this explanation</source>
        <translation>Cerrar esta explicación</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <location filename="../../ui/screens/home.py" line="148"/>
        <source>Topics</source>
        <translation>Temas</translation>
    </message>
</context>
<context>
    <name>IdlePromptCard</name>
    <message>
        <location filename="../../ui/screens/overlay.py" line="225"/>
        <source>Still reading?</source>
        <translation>¿Sigue leyendo?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="221"/>
        <source>1 second</source>
        <translation>1 segundo</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="223"/>
        <source>{n} seconds</source>
        <translation>{n} segundos</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="227"/>
        <source>This screen will start over for the next person in {time}. Tap anywhere to keep reading.</source>
        <translation>Esta pantalla volverá a empezar para la próxima persona en {time}. Toque en cualquier lugar para seguir leyendo.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="232"/>
        <source>I&apos;m still here</source>
        <translation>Sigo aquí</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="232"/>
        <source>Keep reading where you are</source>
        <translation>Siga leyendo donde se quedó</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../ui/app/window.py" line="284"/>
        <source>We read this second-hand, in a report or summary.</source>
        <translation>Lo leímos de segunda mano, en un informe o un resumen.</translation>
    </message>
    <message>
        <location filename="../../ui/app/window.py" line="285"/>
        <source>Where this information comes from</source>
        <translation>De dónde viene esta información</translation>
    </message>
    <message>
        <location filename="../../ui/app/window.py" line="286"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>QrCard</name>
    <message>
        <location filename="../../ui/screens/checklist.py" line="204"/>
        <source>QR code with your questions</source>
        <translation>Código QR con sus preguntas</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="212"/>
        <source>Take your questions home</source>
        <translation>Llévese sus preguntas a casa</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="214"/>
        <source>Point your phone&apos;s camera at the code. Your questions appear on your phone. Nothing is saved on this kiosk.</source>
        <translation>Apunte la cámara de su teléfono al código. Sus preguntas aparecen en su teléfono. Este quiosco no guarda nada.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="218"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>ReadAloudBar</name>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="139"/>
        <source>Sentence {n} of {count}</source>
        <translation>Oración {n} de {count}</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="158"/>
        <source>Read aloud</source>
        <translation>Leer en voz alta</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="159"/>
        <source>Reads this screen out loud and highlights each word</source>
        <translation>Lee esta pantalla en voz alta y marca cada palabra</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="164"/>
        <source>Read aloud is not available</source>
        <translation>No se puede leer en voz alta</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="165"/>
        <source>Reading out loud is not working right now. Everything else still works.</source>
        <translation>La lectura en voz alta no funciona ahora. Todo lo demás sí funciona.</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="167"/>
        <source>Please ask a staff member if you need this read to you.</source>
        <translation>Si necesita que le lean esto, pida ayuda al personal.</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="169"/>
        <source>Resume</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="169"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="170"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="170"/>
        <source>Stop reading out loud</source>
        <translation>Dejar de leer en voz alta</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="171"/>
        <source>Repeat</source>
        <translation>Repetir</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="171"/>
        <source>Hear the last sentence again</source>
        <translation>Oír otra vez la última oración</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="172"/>
        <source>Slower</source>
        <translation>Más lento</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="172"/>
        <source>Read more slowly</source>
        <translation>Leer más despacio</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="173"/>
        <source>Faster</source>
        <translation>Más rápido</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="173"/>
        <source>Read more quickly</source>
        <translation>Leer más rápido</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="174"/>
        <source>Quieter</source>
        <translation>Más bajo</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="174"/>
        <source>Lower the volume</source>
        <translation>Bajar el volumen</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="175"/>
        <source>Louder</source>
        <translation>Más alto</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="175"/>
        <source>Raise the volume</source>
        <translation>Subir el volumen</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="178"/>
        <source>Speed and volume</source>
        <translation>Velocidad y volumen</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="179"/>
        <source>Shows the buttons for reading speed and volume</source>
        <translation>Muestra los botones de velocidad y volumen de lectura</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../../ui/screens/chrome.py" line="148"/>
        <source>Larger text</source>
        <translation>Letra grande</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="148"/>
        <source>Makes all text twice as large</source>
        <translation>Hace que todo el texto se vea el doble de grande</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="152"/>
        <source>High contrast</source>
        <translation>Alto contraste</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="153"/>
        <source>Switches to white and yellow on black</source>
        <translation>Cambia a letras blancas y amarillas sobre fondo negro</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="157"/>
        <source>Need help now? 988</source>
        <translation>¿Necesita ayuda ahora? 988</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="158"/>
        <source>Opens crisis help: call or text 988, call 911, or tell the front desk</source>
        <translation>Abre la ayuda en crisis: llame o envíe un texto al 988, llame al 911 o avise en la recepción</translation>
    </message>
</context>
<context>
    <name>TopicReader</name>
    <message>
        <location filename="../../ui/screens/reader.py" line="379"/>
        <source>Sources</source>
        <translation>Fuentes</translation>
    </message>
    <message>
        <location filename="../../ui/screens/reader.py" line="380"/>
        <source>Where this information comes from, and its review</source>
        <translation>De dónde viene esta información y su revisión</translation>
    </message>
</context>
<context>
    <name>TopicScreen</name>
    <message>
        <location filename="../../ui/screens/topic.py" line="108"/>
        <source>All topics</source>
        <translation>Todos los temas</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="108"/>
        <source>Back to the list of topics</source>
        <translation>Volver a la lista de temas</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="109"/>
        <source>Previous</source>
        <translation>Anterior</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="110"/>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="126"/>
        <source>Checked {checked} · Check overdue: this page may be out of date</source>
        <translation>Revisado el {checked} · Revisión atrasada: esta página puede no estar al día</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="128"/>
        <source>Checked {checked} · Next check {due}</source>
        <translation>Revisado el {checked} · Próxima revisión: {due}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="135"/>
        <source>MMMM d, yyyy</source>
        <translation>d &apos;de&apos; MMMM &apos;de&apos; yyyy</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="123"/>
        <source>Awaiting clinical review</source>
        <translation>Pendiente de revisión clínica</translation>
    </message>
</context>
</TS>
